"""RQ jobs: collect a pupil's records through the MIS adapter, redact, assemble the pack."""
