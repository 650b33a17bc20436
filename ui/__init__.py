"""Page support for the Streamlit app: cached reads, filters bound to the URL, and shared page parts."""
