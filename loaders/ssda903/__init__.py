"""The SSDA903 return: DfE's child-level collection of children looked after, one CSV (or one XML file) per
table and collection year. Read and checked here; its measures are computed in ``metrics.ssda903``."""
