"""The task ledger of imported plans (重点任务台账) and the unit groups plans name."""
