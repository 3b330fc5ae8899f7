"""newsevents: political event data from noisy news."""

__version__ = "0.1.0"
