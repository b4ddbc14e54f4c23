"""A second host MIS, unlike ours in the ways real ones are: users and pupils numbered
separately from 1 (user 3 and pupil 3 both exist), its own Flask-Migrate history, its own
error pages, its own base template block names, no DPO or DSL role of its own (named in
config), two schools on one app, some pupils without a date of birth, one contact whose
parental responsibility it does not record, one file it cannot read, and no person search.
"""
