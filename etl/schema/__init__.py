"""The column dictionary and its enforcement at the warehouse boundary."""
