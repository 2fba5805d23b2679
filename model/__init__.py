"""The data model every layer shares: table schemas and allowed values (`model.schema`)."""
