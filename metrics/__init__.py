"""Pure calculations behind the dashboard: formatting, ratings, direction of travel, series and comparators.

Frames in, new frames or plain values out. Nothing here reads the database or draws a page, so every
rule can be tested on small frames and reused by the pages, the charts and the command line.
"""
