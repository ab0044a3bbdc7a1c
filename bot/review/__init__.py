"""Learning from real conversations: per-turn review table, review console data, feedback, export."""
