"""One small package per source. `registry` lists what the build loads from each."""
