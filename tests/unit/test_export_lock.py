"""Two exports from one work folder would quantise each other's fp32 graph (both ship the same
model under two names): the second one must stop with a clear message instead."""
import pytest

from training.export import work_folder_lock


def test_second_export_in_the_same_work_folder_is_refused(tmp_path):
    with work_folder_lock(tmp_path):
        with pytest.raises(SystemExit, match="another export is using"):
            with work_folder_lock(tmp_path):
                pass


def test_the_folder_is_free_again_after_an_export(tmp_path):
    with work_folder_lock(tmp_path):
        pass
    with work_folder_lock(tmp_path):
        pass
    with work_folder_lock(tmp_path / "other"):
        with work_folder_lock(tmp_path):   # different folders never block each other
            pass
