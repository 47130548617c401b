"""Notifications: supervision sweeps (催办, 督办, 通报), in-app notices per user and signed unit webhooks."""
