"""Province-scale synthetic data of each domain, inserted in bulk for `generate_synthetic`, and what its parts share."""

RLS_COORDINATOR_PREFIX = "coord-rls-"  # usernames of the synthetic RLS coordinators


def split(total: int, weights: list[float]) -> list[int]:
    """Share `total` among parts in proportion to `weights`, each part at least 1 (largest remainders)."""
    base = total - len(weights)
    exact = [base * w / sum(weights) for w in weights]
    parts = [1 + int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (int(exact[i]) - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts
