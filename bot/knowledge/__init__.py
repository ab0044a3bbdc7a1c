"""Knowledge intake: policy documents enter knowledge/policies/ through `python -m bot knowledge` only.

extract (file formats → lines and tables) → intake (clean, detect metadata, chunk preview, refuse
duplicates) → base (write, life cycle, remove, check) → retrieval index rebuild. See docs/KNOWLEDGE.md.
"""
