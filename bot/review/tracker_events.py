"""Rasa's SQL tracker store table, as Rasa 3.6's SQLTrackerStore defines it (rasa/core/tracker_store.py,
SQLEvent): the review reads it, and the seed generator writes synthetic conversations into it.

Defined here rather than imported, because Rasa lives in the other environment (.venv-rasa). The
definition must stay identical to Rasa's, so that a store created by either is used by both."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

events = sa.Table(
    "events",
    metadata,
    # Rasa's optional sequence: used only on databases without autoincrement (Oracle)
    sa.Column("id", sa.Integer, sa.Sequence("events_seq", optional=True), primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)
