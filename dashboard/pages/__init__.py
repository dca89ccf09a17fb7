"""Pages (Dash Pages): each module registers itself with `dash.register_page` (path, navigation order and its
title key in `name`) and holds its layout (`layout = shell.page_layout(render)`, `render(snap, lang, query)`) and
its callbacks. Data and texts come from the view models in `bezpieczny.views`.

A page moved to one contract per view (trends, overview) reads and writes its URL state through its view's
`State`, declares its callbacks with `@dash.callback` (Dash Pages runs the module again for each app, so every app
gets them) and gives the rows behind its charts by `rows(snap, query, chart_id)` (downloads; nothing rendered).
The others still read their state through `dashboard.url_state` and register callbacks in
`register_callbacks(app)`, called by `dashboard.app.create_app`."""
