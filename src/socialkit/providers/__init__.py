"""The built-in platform providers, one subpackage per platform."""
