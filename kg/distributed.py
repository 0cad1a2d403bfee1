"""The extraction map on a Dask cluster: workers run ``extract_batch``, this process resolves.

Each worker needs kg (and its model) installed; see the README's deployment notes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kg.errors import KGError
from kg.gazetteer import GazetteerLayers
from kg.map_worker import extract_batch
from kg.model import Article, Extraction


def map_on_dask(
    address: str, chunks: Sequence[Sequence[Article]], model: str | None, batch_size: int, layers: GazetteerLayers
) -> Iterator[list[Extraction]]:
    """``extract_batch`` over chunks on the scheduler at ``address``, results in chunk order.

    The workers read the gazetteer files ``layers`` names at the same paths: a user's files must be there too.
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise KGError("--dask needs the 'distributed' package: pip install 'kg[dask]'") from exc
    try:
        client = Client(address, timeout="30s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise KGError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    with client:
        futures = client.map(extract_batch, list(chunks), model=model, batch_size=batch_size, layers=layers, pure=False)
        for future in futures:
            yield future.result()
