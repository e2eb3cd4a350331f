"""Reproducible sampling (R-SRV-2): whether a done agent job gets a happy call depends
only on the job and a company secret, so running the queue again picks the same jobs."""

import hashlib


def sample_bucket(seed, key):
    """A number in ``[0, 10000)`` fixed for ``(seed, key)`` and spread evenly."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10000


def sampled(seed, key, share_percent):
    """Whether ``key`` falls in a sample of ``share_percent`` percent (0..100)."""
    if share_percent is None or share_percent < 0 or share_percent > 100:
        raise ValueError("a sample share is a percentage between 0 and 100")
    return sample_bucket(seed, key) < round(share_percent * 100)
