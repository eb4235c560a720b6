"""The HTTP API and web dashboard (`cronaca serve`)."""
