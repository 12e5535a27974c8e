"""The driver behind `furuta sweep`: an Optuna study whose trials are `furuta train` runs.

The trainer is a stateless command (config + seed -> run folder), so the study only has to
choose overrides, run the command, watch its metrics.csv and read its summary.json. Optuna's
RDB storage (a SQLite file, or PostgreSQL for many machines) holds the study; any number of
workers join it. See docs/sweeps.md.
"""
