"""The one error type a user sees for bad input."""


class ConfigError(ValueError):
    """A configuration value, key or name is invalid.

    The message is a single readable line naming the problem and the valid choices;
    entry points print it and exit with status 2.
    """
