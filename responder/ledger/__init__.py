"""The response ledger (舆情回应台账): commitments followed to fulfilment and disclosure."""
