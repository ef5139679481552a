"""The version of the read model's fold (application/projection.py), kept apart so the quick read path can check it."""

# Bump it whenever the fold's rows change (a new group, a new status, another item shape): a read model
# built by an older fold is then refolded by itself on first use (stored in stratlog_meta).
PROJECTION_VERSION = 5  # 3: r2 targets; 4: scheduled events, end dates named after their verb, launches per market;
# 5: compact rows (unit ids, day numbers, stated fields joined from rm_statements)
