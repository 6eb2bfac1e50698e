"""Events: the CAMEO/PLOVER ontology, the trigger lexicon, and event extraction.

Kept import-free on purpose: import ``eventcoder.events.ontology`` or ``eventcoder.events.lexicon``
directly (neither needs spaCy).
"""
