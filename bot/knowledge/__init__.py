"""Knowledge intake: policy documents enter knowledge/policies/ through `python -m bot knowledge` or the
operator page /admin/knowledge (bot/gateway/routes/admin_knowledge.py) only.

extract (file formats → lines and tables) → intake (clean, detect metadata, chunk preview, refuse
duplicates) → base (write, life cycle, remove, check) → retrieval index rebuild, which the running
processes pick up (retrieval.search.LiveRetriever). summaries: the plain-language summaries' to-do list
and the hashes that tie each to its passage's text. See docs/KNOWLEDGE.md.
"""
