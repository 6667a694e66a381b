-- A partial quote: quoted words inside the writer's own sentence ('says Trump "may not have paid a dime"'), kept
-- with its speaker but told apart from a direct quotation.

ALTER TABLE quotes ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
