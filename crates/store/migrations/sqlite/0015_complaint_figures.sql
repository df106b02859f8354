-- The coordinator's inbox and the API's figures read the first two, not every complaint row
-- (a city keeps 100,000 and more; docs/BENCHMARKS.md "Complaints at a city's scale"):
-- the open complaints by state and department with their deadlines, and the answers
-- by time with their department and deadline. Both cover their queries.
CREATE INDEX complaints_open_figures ON complaints (body_id, state, department_id, due_at);
CREATE INDEX complaints_answered_figures ON complaints (body_id, answered_at, department_id, due_at);
-- The near-duplicate check's catch-up reads the ids past the last one it holds:
-- without this, the body's other indexes were scanned whole (12 ms at 100,000).
CREATE INDEX complaints_body_id ON complaints (body_id, id);
