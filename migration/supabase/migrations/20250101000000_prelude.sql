-- Compatibility prelude: what a Supabase project already has and a plain PostgreSQL 15 lacks.
--
-- On Supabase every object below already exists and belongs to Supabase's own roles
-- (supabase_auth_admin owns auth.*), so even `CREATE ... IF NOT EXISTS` or `CREATE OR REPLACE` could
-- fail there with "must be owner" or "permission denied for schema auth". Each step therefore looks in
-- the catalog first and only creates what is missing: on Supabase this whole file is a no-op apart
-- from re-issuing grants Supabase has already given.
--
-- Definitions follow Supabase's own (github.com/supabase/auth migrations and the supabase/postgres
-- image) so that policies behave the same in both places.

DO $prelude$
BEGIN
  -- gen_random_uuid() is built in from PostgreSQL 13; the schema defaults rely on it.
  IF current_setting('server_version_num')::int < 130000 THEN
    RAISE EXCEPTION 'the ZhenGrowth schema needs PostgreSQL 13 or newer (Supabase runs 15); this server is %',
      current_setting('server_version');
  END IF;
END
$prelude$;

-- Roles. Cluster-wide, so several databases of one test server share them; parallel test databases
-- may race to create them, hence the exception handlers.
DO $roles$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        -- NOLOGIN NOINHERIT as on Supabase: PostgREST's authenticator switches into them with SET ROLE.
        EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
  -- The service role is how Supabase's server-side clients (and the migration's reader) skip RLS.
  IF NOT (SELECT rolbypassrls FROM pg_roles WHERE rolname = 'service_role') THEN
    ALTER ROLE service_role BYPASSRLS;
  END IF;
END
$roles$;

DO $auth_schema$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'auth') THEN
    CREATE SCHEMA auth;
  END IF;
END
$auth_schema$;

-- auth.users with the columns GoTrue (Supabase Auth) has today. The migration reads identity,
-- password hash, confirmation, metadata, phone, ban/deletion and anonymity from here.
DO $auth_users$
BEGIN
  IF to_regclass('auth.users') IS NULL THEN
    CREATE TABLE auth.users (
      instance_id uuid NULL,
      id uuid NOT NULL,
      aud varchar(255) NULL,
      role varchar(255) NULL,
      email varchar(255) NULL,
      encrypted_password varchar(255) NULL,
      email_confirmed_at timestamptz NULL,
      invited_at timestamptz NULL,
      confirmation_token varchar(255) NULL,
      confirmation_sent_at timestamptz NULL,
      recovery_token varchar(255) NULL,
      recovery_sent_at timestamptz NULL,
      email_change_token_new varchar(255) NULL,
      email_change varchar(255) NULL,
      email_change_sent_at timestamptz NULL,
      last_sign_in_at timestamptz NULL,
      raw_app_meta_data jsonb NULL,
      raw_user_meta_data jsonb NULL,
      is_super_admin boolean NULL,
      created_at timestamptz NULL,
      updated_at timestamptz NULL,
      phone text NULL DEFAULT NULL,
      phone_confirmed_at timestamptz NULL,
      phone_change text NULL DEFAULT '',
      phone_change_token varchar(255) NULL DEFAULT '',
      phone_change_sent_at timestamptz NULL,
      confirmed_at timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
      email_change_token_current varchar(255) NULL DEFAULT '',
      email_change_confirm_status smallint NULL DEFAULT 0,
      banned_until timestamptz NULL,
      reauthentication_token varchar(255) NULL DEFAULT '',
      reauthentication_sent_at timestamptz NULL,
      is_sso_user boolean NOT NULL DEFAULT false,
      deleted_at timestamptz NULL,
      is_anonymous boolean NOT NULL DEFAULT false,
      CONSTRAINT users_pkey PRIMARY KEY (id),
      CONSTRAINT users_phone_key UNIQUE (phone),
      CONSTRAINT users_email_change_confirm_status_check CHECK (email_change_confirm_status >= 0 AND email_change_confirm_status <= 2)
    );
    COMMENT ON TABLE auth.users IS 'Auth: Stores user login data within a secure schema. (Compatibility copy for plain PostgreSQL; Supabase provides the real one.)';
    -- Supabase: one account per e-mail among non-SSO users.
    CREATE UNIQUE INDEX users_email_partial_key ON auth.users (email) WHERE is_sso_user = false;
    CREATE INDEX users_instance_id_idx ON auth.users (instance_id);
    CREATE INDEX users_is_anonymous_idx ON auth.users (is_anonymous);
  END IF;
END
$auth_users$;

-- auth.uid(), auth.role(), auth.jwt() as Supabase defines them: the JWT claims PostgREST puts in
-- `request.jwt.claims` (and the older one-setting-per-claim form `request.jwt.claim.*`).
DO $auth_functions$
BEGIN
  IF to_regprocedure('auth.uid()') IS NULL THEN
    CREATE FUNCTION auth.uid() RETURNS uuid
      LANGUAGE sql STABLE
      AS $fn$
        SELECT coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $fn$;
    COMMENT ON FUNCTION auth.uid() IS 'Deprecated. Use auth.jwt() -> ''sub'' instead.';
  END IF;
  IF to_regprocedure('auth.role()') IS NULL THEN
    CREATE FUNCTION auth.role() RETURNS text
      LANGUAGE sql STABLE
      AS $fn$
        SELECT coalesce(
          nullif(current_setting('request.jwt.claim.role', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
        )::text
      $fn$;
    COMMENT ON FUNCTION auth.role() IS 'Deprecated. Use auth.jwt() -> ''role'' instead.';
  END IF;
  IF to_regprocedure('auth.jwt()') IS NULL THEN
    CREATE FUNCTION auth.jwt() RETURNS jsonb
      LANGUAGE sql STABLE
      AS $fn$
        SELECT coalesce(
          nullif(current_setting('request.jwt.claim', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')
        )::jsonb
      $fn$;
  END IF;
END
$auth_functions$;

-- Supabase's grants: the API roles may call auth.uid() & co. (policies run as them) and reach
-- public; RLS, not table privileges, decides which rows they see. Re-granting is harmless on Supabase.
-- The auth grants only where we own the auth schema: on Supabase its owner has given them already,
-- and a GRANT by a role without grant option would only warn or fail.
DO $auth_grants$
BEGIN
  IF pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'auth'), 'USAGE') THEN
    GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
    GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.jwt() TO anon, authenticated, service_role;
  END IF;
END
$auth_grants$;
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
