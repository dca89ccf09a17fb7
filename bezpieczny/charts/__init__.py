"""Pure figure builders: DataFrame in, plotly Figure out. No I/O, no Dash."""
