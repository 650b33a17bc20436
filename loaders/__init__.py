"""Reading returns (Excel and CSV) and DfE's published tables into the database."""
