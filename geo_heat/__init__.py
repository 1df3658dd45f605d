"""geo-heat: Heat resources for georedundant network function links."""
