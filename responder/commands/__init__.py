"""Command-line commands, one module per area; registered in responder.cli."""
