"""Pages (Dash Pages): each module registers itself with `dash.register_page` (path, navigation order and its
title key in `name`) and holds its layout (`layout = shell.page_layout(render)`) and its callbacks
(`register_callbacks(app)`, called by `dashboard.app.create_app`). Data and texts come from the view models in
`bezpieczny.views`; the URL state is read and written only through `dashboard.url_state`."""
