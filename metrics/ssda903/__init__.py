"""Measures computed from the child-level 903 return, as DfE defines them, at 31 March of every collection
year present and at every month end the latest year covers. Pure calculations: frames in, figures out."""
