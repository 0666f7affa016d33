-- Trigram indexes for the users' directory search (name, email or phone
-- ILIKE '%q%'), as sessions_title_trgm serves the session search.
CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);
CREATE INDEX users_email_trgm ON users USING gin (email gin_trgm_ops);
CREATE INDEX users_phone_trgm ON users USING gin (phone gin_trgm_ops);
