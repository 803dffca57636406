"""Real servers the integration tests start on loopback, each in its own module."""
