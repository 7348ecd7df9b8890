"""Settings of the benchmark server only: the product's settings plus the bench URLconf (the bare floor page)."""

from maillage.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
