"""What several rules share and no rule is: a plan as sold in a channel and its engine price
(``prices``), every charge as written (``charges``), offers (``offers``), plan names as
customers read them (``plan_names``). Rule discovery skips this package."""
