"""notebooks/explore.ipynb: stored without outputs, and runs clean from top to bottom."""

from __future__ import annotations

import nbformat
import pytest

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_the_notebook_is_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) >= 8
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.model
def test_the_notebook_runs_clean_from_top_to_bottom() -> None:
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # Raises CellExecutionError, naming the cell, at the first cell that fails.
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "5 articles" in text and "Islamic Resistance in Iraq" in text and "community 1:" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the networkx plot
    views = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(views) == 2 and all("<iframe srcdoc=" in view and "vis.Network" in view for view in views)
