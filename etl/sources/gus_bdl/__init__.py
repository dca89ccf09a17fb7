"""GUS Bank Danych Lokalnych: portal exports (embedded snapshot). The API connector lives in `gus_bdl_api`."""
