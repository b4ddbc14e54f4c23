"""True removal, one module per format: plain text, email, Word, PDF and images.

Each module takes a document's bytes, the detector and the policy, and gives redacted bytes
and the records of what was removed (rule 18: every hidden place, not boxes over text).
:mod:`..document` picks the module for a file.
"""
