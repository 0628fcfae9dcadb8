"""The benchmark suite (python -m bench) and single-figure bench scripts; not part of the package."""
