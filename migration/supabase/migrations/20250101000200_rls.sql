-- Row level security and privileges: docs/access-policy.md, table by table.
--
-- How to read it:
--   * Every table has RLS enabled ("All tables have RLS enabled", Security & RLS Policies). A table
--     with no policy for a role is closed to that role; service_role bypasses RLS (the server, the
--     migration's reader, webhooks).
--   * Each policy carries the schema document's RLS line it implements, or "no RLS line in the
--     schema: <our choice and why>" where docs/access-policy.md decided for the document.
--   * "staff" = coach or admin. Policies call public.has_role(auth.uid(), '<role>').
--   * Column guards are column privileges. They bind the PostgreSQL role `authenticated`, i.e. every
--     signed-in client whatever its app_role: where a column is guarded, staff change it through
--     the server (service_role) too. This matches the "server only" column of the access policy.

-- ---------------------------------------------------------------------------------------------
-- Privileges. Supabase grants ALL on public tables to anon/authenticated/service_role and lets
-- RLS decide; we do the same (explicitly, for tables created before the default privileges), then
-- take back what no API client should have: TRUNCATE ignores RLS, REFERENCES and TRIGGER are DDL.
-- ---------------------------------------------------------------------------------------------
GRANT ALL ON ALL TABLES IN SCHEMA public TO anon, authenticated, service_role;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM anon, authenticated;
GRANT EXECUTE ON FUNCTION public.has_role(uuid, public.app_role) TO anon, authenticated, service_role;

DO $enable_rls$
DECLARE
  t regclass;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r'
  LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  END LOOP;
END
$enable_rls$;

-- The caller's e-mail for "own by e-mail" policies (cal_bookings, bookings): the JWT's email claim,
-- but only when auth.users says that address is confirmed. Without the confirmation anyone could
-- sign up, unconfirmed, with the address a guest booked with and read the guest's bookings
-- (Firebase: request.auth.token.email_verified). SECURITY DEFINER because API roles cannot read
-- auth.users; it reveals nothing but the caller's own confirmed address.
CREATE OR REPLACE FUNCTION public.auth_verified_email()
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public
AS $$
  SELECT u.email::text
  FROM auth.users u
  WHERE u.id = auth.uid()
    AND u.email_confirmed_at IS NOT NULL
    AND u.email = (auth.jwt() ->> 'email')
$$;
REVOKE EXECUTE ON FUNCTION public.auth_verified_email() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.auth_verified_email() TO anon, authenticated, service_role;

-- =============================================================================================
-- User Management
-- =============================================================================================

-- zg_profiles ----------------------------------------------------------------------------------
-- "Users can read/update their own profile"
CREATE POLICY zg_profiles_select_own ON public.zg_profiles
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- "Users can read/update their own profile"
CREATE POLICY zg_profiles_update_own ON public.zg_profiles
  FOR UPDATE TO authenticated
  USING (user_id = auth.uid())
  WITH CHECK (user_id = auth.uid());
-- "Admins can read all profiles"
CREATE POLICY zg_profiles_select_admin ON public.zg_profiles
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'admin'));
-- Access policy: update own "(not user_id, email)": the key and the e-mail (owned by auth.users)
-- are not the user's to edit, nor is created_at (when the account was made is a fact, not a
-- preference): see the column guards at the end of this file.

-- user_roles -----------------------------------------------------------------------------------
-- "Users can read their own roles"
CREATE POLICY user_roles_select_own ON public.user_roles
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- "Only admins can assign/modify roles"
CREATE POLICY user_roles_all_admin ON public.user_roles
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- user_badges ----------------------------------------------------------------------------------
-- no RLS line in the schema: owners read their awards (they show on the profile); only admins
-- award or revoke, since a badge is an achievement the user must not grant themselves.
CREATE POLICY user_badges_select_own ON public.user_badges
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- no RLS line in the schema: admins manage awards (see above).
CREATE POLICY user_badges_all_admin ON public.user_badges
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- Coaching & Bookings
-- =============================================================================================

-- coaching_offers ------------------------------------------------------------------------------
-- "Public read for active offers"
CREATE POLICY coaching_offers_select_active ON public.coaching_offers
  FOR SELECT TO anon, authenticated
  USING (active IS TRUE);
-- "Admin-only write access"
CREATE POLICY coaching_offers_all_admin ON public.coaching_offers
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- cal_bookings ---------------------------------------------------------------------------------
-- "Users can view their own bookings (matched by email)": the JWT's email claim, exactly
-- (case-sensitively, as firestore.rules compares request.auth.token.email, which a Firestore query
-- filter must equal), and only once that address is confirmed; see auth_verified_email() below.
-- No writes: the Cal.com webhook writes.
CREATE POLICY cal_bookings_select_own_email ON public.cal_bookings
  FOR SELECT TO authenticated
  USING (attendee_email = public.auth_verified_email());
-- "Coaches/Admins can view all bookings"
CREATE POLICY cal_bookings_select_staff ON public.cal_bookings
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'coach') OR public.has_role(auth.uid(), 'admin'));

-- cal_event_types ------------------------------------------------------------------------------
-- no RLS line in the schema: event types are the public booking menu, so anyone reads the active
-- ones (like coaching_offers); admins maintain them; the Cal.com sync writes as service_role.
CREATE POLICY cal_event_types_select_active ON public.cal_event_types
  FOR SELECT TO anon, authenticated
  USING (active IS TRUE);
-- no RLS line in the schema: admin-only writes, as for the other public catalogues.
CREATE POLICY cal_event_types_all_admin ON public.cal_event_types
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- me_sessions ----------------------------------------------------------------------------------
-- "Users can read their own sessions"
CREATE POLICY me_sessions_select_own ON public.me_sessions
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- "Coaches can read/write assigned sessions" (read)
CREATE POLICY me_sessions_select_coach ON public.me_sessions
  FOR SELECT TO authenticated
  USING (coach_id = auth.uid() AND public.has_role(auth.uid(), 'coach'));
-- "Coaches can read/write assigned sessions" (write: insert and update, no delete per the access
-- policy; a coach cannot hand a session to another coach, WITH CHECK keeps coach_id = self).
CREATE POLICY me_sessions_insert_coach ON public.me_sessions
  FOR INSERT TO authenticated
  WITH CHECK (coach_id = auth.uid() AND public.has_role(auth.uid(), 'coach'));
-- "Coaches can read/write assigned sessions" (update)
CREATE POLICY me_sessions_update_coach ON public.me_sessions
  FOR UPDATE TO authenticated
  USING (coach_id = auth.uid() AND public.has_role(auth.uid(), 'coach'))
  WITH CHECK (coach_id = auth.uid() AND public.has_role(auth.uid(), 'coach'));
-- "Admins have full access"
CREATE POLICY me_sessions_all_admin ON public.me_sessions
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- me_goals -------------------------------------------------------------------------------------
-- "Users can CRUD their own goals"
CREATE POLICY me_goals_all_own ON public.me_goals
  FOR ALL TO authenticated
  USING (user_id = auth.uid())
  WITH CHECK (user_id = auth.uid());
-- "Coaches can view client goals"
CREATE POLICY me_goals_select_coach ON public.me_goals
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'coach'));
-- no RLS line in the schema: admins get full access, as on every other user-owned table.
CREATE POLICY me_goals_all_admin ON public.me_goals
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- Content Management
-- =============================================================================================

-- blog_posts -----------------------------------------------------------------------------------
-- "Public read for published posts"
CREATE POLICY blog_posts_select_published ON public.blog_posts
  FOR SELECT TO anon, authenticated
  USING (published IS TRUE);
-- "Admin-only write access"
CREATE POLICY blog_posts_all_admin ON public.blog_posts
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- blog_templates -------------------------------------------------------------------------------
-- no RLS line in the schema: templates are internal tooling for repurposing content; admins only.
CREATE POLICY blog_templates_all_admin ON public.blog_templates
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- lessons --------------------------------------------------------------------------------------
-- "Public read for published lessons"
CREATE POLICY lessons_select_published ON public.lessons
  FOR SELECT TO anon, authenticated
  USING (published IS TRUE);
-- "Admin-only write access" ("Authenticated users can track progress" is lesson_progress below.)
CREATE POLICY lessons_all_admin ON public.lessons
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- lesson_progress ------------------------------------------------------------------------------
-- "Users can CRUD their own progress"
CREATE POLICY lesson_progress_all_own ON public.lesson_progress
  FOR ALL TO authenticated
  USING (user_id = auth.uid())
  WITH CHECK (user_id = auth.uid());
-- no RLS line in the schema: admins get full access (support fixes a learner's progress).
CREATE POLICY lesson_progress_all_admin ON public.lesson_progress
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- E-Commerce & Payments
-- =============================================================================================

-- bookings -------------------------------------------------------------------------------------
-- "bookings - Users see own bookings" (User-Scoped Access). The table has no user column, only
-- customer_email, so "own" is the confirmed e-mail of the JWT, exactly as for cal_bookings.
CREATE POLICY bookings_select_own_email ON public.bookings
  FOR SELECT TO authenticated
  USING (customer_email = public.auth_verified_email());
-- no RLS line in the schema: admins get full access; payment webhooks write as service_role.
CREATE POLICY bookings_all_admin ON public.bookings
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- express_orders -------------------------------------------------------------------------------
-- "Users can view their own orders"
CREATE POLICY express_orders_select_own ON public.express_orders
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- "Admins have full access"
CREATE POLICY express_orders_all_admin ON public.express_orders
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- payments -------------------------------------------------------------------------------------
-- no RLS line in the schema: provider responses are server business; admins may read them for
-- support, nobody writes but the payment webhooks (service_role).
CREATE POLICY payments_select_admin ON public.payments
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'admin'));

-- me_receipts ----------------------------------------------------------------------------------
-- "Users can read their own receipts"
CREATE POLICY me_receipts_select_own ON public.me_receipts
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- "Admins have full access"
CREATE POLICY me_receipts_all_admin ON public.me_receipts
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- coupons --------------------------------------------------------------------------------------
-- no RLS line in the schema: a readable coupon table would leak every code; checkout validates a
-- code on the server, so only admins touch the table.
CREATE POLICY coupons_all_admin ON public.coupons
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- Events System
-- =============================================================================================

-- events_catalog -------------------------------------------------------------------------------
-- "events_catalog (published only)" under Public Read, Admin Write
CREATE POLICY events_catalog_select_published ON public.events_catalog
  FOR SELECT TO anon, authenticated
  USING (published IS TRUE);
-- "Public Read, Admin Write"
CREATE POLICY events_catalog_all_admin ON public.events_catalog
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- event_prices ---------------------------------------------------------------------------------
-- no RLS line in the schema: prices are shown next to the public catalogue, so anyone reads the
-- active ones; admins maintain them.
CREATE POLICY event_prices_select_active ON public.event_prices
  FOR SELECT TO anon, authenticated
  USING (active IS TRUE);
-- no RLS line in the schema: admin-only writes (see above).
CREATE POLICY event_prices_all_admin ON public.event_prices
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- event_regs -----------------------------------------------------------------------------------
-- "Users can view their own registrations"
CREATE POLICY event_regs_select_own ON public.event_regs
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- "Event organizers can view all registrations for their events". events_catalog records no
-- organizer, so the access policy reads "organizers" as coaches: they see every registration.
CREATE POLICY event_regs_select_coach ON public.event_regs
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'coach'));
-- "Admins have full access"
CREATE POLICY event_regs_all_admin ON public.event_regs
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- Marketing & Leads
-- =============================================================================================

-- leads ----------------------------------------------------------------------------------------
-- "Public can create leads (form submissions)", validated: a plausible e-mail, bounded text, and
-- nothing a form must not decide (owner, notes, score, stage, status, tags, metadata, last contact
-- keep their defaults); created_at/updated_at are the server's clock (now(), the defaults), so a
-- form cannot date a lead. A WITH CHECK rather than column privileges, because admins insert leads through the
-- same `authenticated` role with every column set (their policy below).
CREATE POLICY leads_insert_public ON public.leads
  FOR INSERT TO anon, authenticated
  WITH CHECK (
    char_length(email) <= 320
    AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
    AND (name IS NULL OR char_length(name) <= 200)
    AND (phone IS NULL OR char_length(phone) <= 50)
    AND (source IS NULL OR char_length(source) <= 100)
    AND owner IS NULL
    AND notes IS NULL
    AND coalesce(score, 0) = 0
    AND stage IS NOT DISTINCT FROM 'new'
    AND status IS NOT DISTINCT FROM 'active'
    AND coalesce(cardinality(tags), 0) = 0
    AND (metadata IS NULL OR metadata = '{}'::jsonb)
    AND last_contacted_at IS NULL
    AND created_at = now()
    AND updated_at = now()
  );
-- "Coaches/Admins can read/update leads" (read)
CREATE POLICY leads_select_coach ON public.leads
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'coach'));
-- "Coaches/Admins can read/update leads" (update)
CREATE POLICY leads_update_coach ON public.leads
  FOR UPDATE TO authenticated
  USING (public.has_role(auth.uid(), 'coach'))
  WITH CHECK (public.has_role(auth.uid(), 'coach'));
-- "Coaches/Admins can read/update leads"; the access policy gives admins full access.
CREATE POLICY leads_all_admin ON public.leads
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- funnels --------------------------------------------------------------------------------------
-- no RLS line in the schema: funnel definitions drive marketing automation; admins only.
CREATE POLICY funnels_all_admin ON public.funnels
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- funnel_stages --------------------------------------------------------------------------------
-- no RLS line in the schema: part of the funnel definition; admins only.
CREATE POLICY funnel_stages_all_admin ON public.funnel_stages
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- user_funnel_progress -------------------------------------------------------------------------
-- "Users can read their own progress"
CREATE POLICY user_funnel_progress_select_own ON public.user_funnel_progress
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- "Admins have full access"
CREATE POLICY user_funnel_progress_all_admin ON public.user_funnel_progress
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- zg_referrals ---------------------------------------------------------------------------------
-- "Users can view their own referrals" (the referrer's; referee_id is only set after signup)
CREATE POLICY zg_referrals_select_own ON public.zg_referrals
  FOR SELECT TO authenticated
  USING (referrer_id = auth.uid());
-- "Admins have full access"
CREATE POLICY zg_referrals_all_admin ON public.zg_referrals
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- Analytics & Tracking
-- =============================================================================================

-- analytics_events -----------------------------------------------------------------------------
-- The limits both insert policies share (firestore.rules: isTrackedEvent).
CREATE OR REPLACE FUNCTION public.analytics_event_is_valid(e public.analytics_events)
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = public
AS $$
  SELECT char_length(e.event_name) <= 100
    AND (e.session_id IS NULL OR char_length(e.session_id) <= 100)
    AND (e.page_url IS NULL OR char_length(e.page_url) <= 2048)
    AND (e.referrer IS NULL OR char_length(e.referrer) <= 2048)
    AND (e.user_agent IS NULL OR char_length(e.user_agent) <= 512)
    AND (e.properties IS NULL
         OR (jsonb_typeof(e.properties) = 'object' AND (SELECT count(*) FROM jsonb_object_keys(e.properties)) <= 50))
    AND e.ip_address IS NULL
    AND e.created_at = now()
$$;
-- "Public can create events", validated: a visitor cannot attribute events to a user; bounded text
-- and properties (at most 50 keys) so the table cannot be used to store junk; the IP address is
-- the server's to record, the time is the server's clock.
CREATE POLICY analytics_events_insert_anon ON public.analytics_events
  FOR INSERT TO anon
  WITH CHECK (user_id IS NULL AND public.analytics_event_is_valid(analytics_events));
-- "Public can create events", validated: a signed-in user records anonymously or as themselves.
CREATE POLICY analytics_events_insert_authenticated ON public.analytics_events
  FOR INSERT TO authenticated
  WITH CHECK ((user_id IS NULL OR user_id = auth.uid()) AND public.analytics_event_is_valid(analytics_events));
-- "Admins can read events"
CREATE POLICY analytics_events_select_admin ON public.analytics_events
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'admin'));

-- experiments ----------------------------------------------------------------------------------
-- no RLS line in the schema: the client must know the enabled experiments to render a variant;
-- admins configure them.
CREATE POLICY experiments_select_enabled ON public.experiments
  FOR SELECT TO anon, authenticated
  USING (enabled IS TRUE);
-- no RLS line in the schema: admin-only writes (see above).
CREATE POLICY experiments_all_admin ON public.experiments
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- experiment_assignments -----------------------------------------------------------------------
-- no RLS line in the schema: a user reads their own assignment (to render it); assignment itself
-- happens on the server so users cannot pick their variant.
CREATE POLICY experiment_assignments_select_own ON public.experiment_assignments
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- no RLS line in the schema: admins manage assignments.
CREATE POLICY experiment_assignments_all_admin ON public.experiment_assignments
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- AI Features
-- =============================================================================================

-- ai_logs: no RLS line in the schema: prompts and responses may hold personal data and are for
-- debugging on the server; no policy at all, so only service_role reads or writes.

-- ai_suggestions_cache -------------------------------------------------------------------------
-- no RLS line in the schema: the user whose profile a suggestion was made for reads it; the owner
-- is found through profile_id -> zg_profiles.user_id (that subquery runs under zg_profiles' RLS,
-- which lets the user see their own profile). Written by the server.
CREATE POLICY ai_suggestions_cache_select_own ON public.ai_suggestions_cache
  FOR SELECT TO authenticated
  USING (EXISTS (
    SELECT 1 FROM public.zg_profiles p
    WHERE p.id = ai_suggestions_cache.profile_id AND p.user_id = auth.uid()
  ));
-- no RLS line in the schema: admins manage the cache.
CREATE POLICY ai_suggestions_cache_all_admin ON public.ai_suggestions_cache
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- Community Features
-- =============================================================================================

-- community_posts ------------------------------------------------------------------------------
-- "Authenticated users can read published posts" (and an author keeps seeing their own drafts)
CREATE POLICY community_posts_select_published_or_own ON public.community_posts
  FOR SELECT TO authenticated
  USING (published IS TRUE OR author_id = auth.uid());
-- "Users can create posts": as themselves, stamped with the server's clock (the feed is ordered by
-- created_at, so a chosen date would pin a post on top), and not pinned: pinning is moderation.
CREATE POLICY community_posts_insert_own ON public.community_posts
  FOR INSERT TO authenticated
  WITH CHECK (author_id = auth.uid() AND created_at = now() AND pinned IS FALSE);
-- "Users can update/delete their own posts", except pinned ("Coaches/Admins can moderate"): the
-- subquery reads the row as it was before this UPDATE (the statement's snapshot).
CREATE POLICY community_posts_update_own ON public.community_posts
  FOR UPDATE TO authenticated
  USING (author_id = auth.uid())
  WITH CHECK (
    author_id = auth.uid()
    AND pinned IS NOT DISTINCT FROM (SELECT p.pinned FROM public.community_posts p WHERE p.id = community_posts.id)
  );
-- "Users can update/delete their own posts" (delete)
CREATE POLICY community_posts_delete_own ON public.community_posts
  FOR DELETE TO authenticated
  USING (author_id = auth.uid());
-- "Coaches/Admins can moderate all posts"
CREATE POLICY community_posts_all_staff ON public.community_posts
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'coach') OR public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'coach') OR public.has_role(auth.uid(), 'admin'));
-- Access policy: authors update their posts "(not counters)". likes_count and comments_count are
-- kept by the server; no client sets them, on insert or update (update: column guards below).
REVOKE INSERT ON public.community_posts FROM anon, authenticated;
GRANT INSERT (id, author_id, title, content, tags, published, pinned, metadata, created_at, updated_at)
  ON public.community_posts TO authenticated;

-- community_comments ---------------------------------------------------------------------------
-- "Similar to community_posts": signed-in users read comments (comments have no published flag).
CREATE POLICY community_comments_select ON public.community_comments
  FOR SELECT TO authenticated
  USING (true);
-- "Similar to community_posts": users create their own comments, stamped with the server's clock.
CREATE POLICY community_comments_insert_own ON public.community_comments
  FOR INSERT TO authenticated
  WITH CHECK (author_id = auth.uid() AND created_at = now());
-- "Similar to community_posts": users update/delete their own comments.
CREATE POLICY community_comments_update_own ON public.community_comments
  FOR UPDATE TO authenticated
  USING (author_id = auth.uid())
  WITH CHECK (author_id = auth.uid());
-- "Similar to community_posts": users delete their own comments.
CREATE POLICY community_comments_delete_own ON public.community_comments
  FOR DELETE TO authenticated
  USING (author_id = auth.uid());
-- "Similar to community_posts": coaches/admins moderate all comments.
CREATE POLICY community_comments_all_staff ON public.community_comments
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'coach') OR public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'coach') OR public.has_role(auth.uid(), 'admin'));
-- Access policy: "(not likes_count)", a server-kept counter (update: column guards below).
REVOKE INSERT ON public.community_comments FROM anon, authenticated;
GRANT INSERT (id, post_id, author_id, content, parent_id, created_at, updated_at)
  ON public.community_comments TO authenticated;

-- community_reports ----------------------------------------------------------------------------
-- "Users can create reports", as themselves, and as a new report: the review fields are the
-- moderators' to fill, the time is the server's clock.
CREATE POLICY community_reports_insert_own ON public.community_reports
  FOR INSERT TO authenticated
  WITH CHECK (
    reporter_id = auth.uid()
    AND content_type IN ('post', 'comment')
    AND status IS NOT DISTINCT FROM 'pending'
    AND reviewed_by IS NULL
    AND reviewed_at IS NULL
    AND action_taken IS NULL
    AND created_at = now()
  );
-- "Only coaches/admins can view/manage reports" (coaches: view and update)
CREATE POLICY community_reports_select_coach ON public.community_reports
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'coach'));
-- "Only coaches/admins can view/manage reports" (coaches: update)
CREATE POLICY community_reports_update_coach ON public.community_reports
  FOR UPDATE TO authenticated
  USING (public.has_role(auth.uid(), 'coach'))
  WITH CHECK (public.has_role(auth.uid(), 'coach'));
-- "Only coaches/admins can view/manage reports" (admins: everything)
CREATE POLICY community_reports_all_admin ON public.community_reports
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- Social Media Management
-- =============================================================================================

-- social_accounts ------------------------------------------------------------------------------
-- "Users can CRUD their own accounts"
CREATE POLICY social_accounts_all_own ON public.social_accounts
  FOR ALL TO authenticated
  USING (user_id = auth.uid())
  WITH CHECK (user_id = auth.uid());
-- "Admins have read-only access"
CREATE POLICY social_accounts_select_admin ON public.social_accounts
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'admin'));

-- social_posts ---------------------------------------------------------------------------------
-- "Users can CRUD their own posts"
CREATE POLICY social_posts_all_own ON public.social_posts
  FOR ALL TO authenticated
  USING (user_id = auth.uid())
  WITH CHECK (user_id = auth.uid());

-- social_analytics: no RLS line in the schema: metrics are fetched from the platforms by the server
-- and shown through it; no policy, so only service_role.

-- =============================================================================================
-- Configuration & System
-- =============================================================================================

-- remote_flags ---------------------------------------------------------------------------------
-- "Public read access" (every flag: a disabled flag is information the client needs too)
CREATE POLICY remote_flags_select ON public.remote_flags
  FOR SELECT TO anon, authenticated
  USING (true);
-- "Admin-only write access"
CREATE POLICY remote_flags_all_admin ON public.remote_flags
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- i18n_dict ------------------------------------------------------------------------------------
-- "Public read access"
CREATE POLICY i18n_dict_select ON public.i18n_dict
  FOR SELECT TO anon, authenticated
  USING (true);
-- "Admin-only write access"
CREATE POLICY i18n_dict_all_admin ON public.i18n_dict
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- email_templates ------------------------------------------------------------------------------
-- no RLS line in the schema: templates are rendered by the server; admins edit them.
CREATE POLICY email_templates_all_admin ON public.email_templates
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- email_queue, email_logs: no RLS line in the schema: addresses and bodies of other people's mail,
-- processed by background jobs; no policy, so only service_role.

-- badges ---------------------------------------------------------------------------------------
-- no RLS line in the schema: badge definitions are shown to everyone (what can be earned); admins
-- define them.
CREATE POLICY badges_select_active ON public.badges
  FOR SELECT TO anon, authenticated
  USING (active IS TRUE);
-- no RLS line in the schema: admin-only writes (see above).
CREATE POLICY badges_all_admin ON public.badges
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- zg_versions ----------------------------------------------------------------------------------
-- no RLS line in the schema: every client, signed in or not, checks the minimum version and
-- forced updates at start-up; admins publish versions.
CREATE POLICY zg_versions_select ON public.zg_versions
  FOR SELECT TO anon, authenticated
  USING (true);
-- no RLS line in the schema: admin-only writes (see above).
CREATE POLICY zg_versions_all_admin ON public.zg_versions
  FOR ALL TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));

-- =============================================================================================
-- Notifications & Messaging
-- =============================================================================================

-- nudge_inbox ----------------------------------------------------------------------------------
-- "Users can read/update their own notifications" (read)
CREATE POLICY nudge_inbox_select_own ON public.nudge_inbox
  FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- "Users can read/update their own notifications" (update; columns limited below)
CREATE POLICY nudge_inbox_update_own ON public.nudge_inbox
  FOR UPDATE TO authenticated
  USING (user_id = auth.uid())
  WITH CHECK (user_id = auth.uid());
-- "Coaches/Admins can create notifications"
CREATE POLICY nudge_inbox_insert_staff ON public.nudge_inbox
  FOR INSERT TO authenticated
  WITH CHECK (public.has_role(auth.uid(), 'coach') OR public.has_role(auth.uid(), 'admin'));
-- no RLS line in the schema for admin reads, updates and deletes: the access policy gives admins
-- the whole inbox (support, clean-up).
CREATE POLICY nudge_inbox_select_admin ON public.nudge_inbox
  FOR SELECT TO authenticated
  USING (public.has_role(auth.uid(), 'admin'));
-- no RLS line in the schema: admins update any notification (see above).
CREATE POLICY nudge_inbox_update_admin ON public.nudge_inbox
  FOR UPDATE TO authenticated
  USING (public.has_role(auth.uid(), 'admin'))
  WITH CHECK (public.has_role(auth.uid(), 'admin'));
-- no RLS line in the schema: admins delete any notification (see above).
CREATE POLICY nudge_inbox_delete_admin ON public.nudge_inbox
  FOR DELETE TO authenticated
  USING (public.has_role(auth.uid(), 'admin'));
-- Access policy: owners update "read, read_at only" (marking read). Column privileges bind every
-- signed-in client, so admins too change other columns through the server (column guards below).

-- push_subscriptions ---------------------------------------------------------------------------
-- "Users can CRUD their own subscriptions" (rows with a NULL user_id, anonymous subscriptions,
-- belong to nobody and stay with the server)
CREATE POLICY push_subscriptions_all_own ON public.push_subscriptions
  FOR ALL TO authenticated
  USING (user_id = auth.uid())
  WITH CHECK (user_id = auth.uid());

-- =============================================================================================
-- Column guards on UPDATE
-- =============================================================================================
-- What identifies a row (id, and the columns Firestore puts in the document path or id: user_id of
-- a user's rows, slug of a blog post, key, code, event_id, funnel_id, post_id), who owns or wrote it
-- (author_id, reporter_id, referrer_id, profile_id), when it was made (created_at) and the server's
-- counters (likes_count, comments_count) never change through the API: in Firestore they cannot
-- (a path is not a field) or the rules keep them (keeps([...])). Column privileges of the role
-- `authenticated` bind every signed-in client, staff included; the server (service_role) is not
-- bound. A column added later is not updatable until it is granted here (fail closed).
REVOKE UPDATE ON ALL TABLES IN SCHEMA public FROM anon, authenticated;
-- ai_suggestions_cache: not updatable: id, profile_id, created_at
GRANT UPDATE (suggestion_type, suggestion_lang, content, expires_at) ON public.ai_suggestions_cache TO authenticated;
-- badges: not updatable: code
GRANT UPDATE (name, description, icon, criteria, active) ON public.badges TO authenticated;
-- blog_posts: not updatable: id, slug, created_at
GRANT UPDATE (title, excerpt, body_md, cover_image, author_id, published, published_at, lang, tags, meta_title, meta_description, view_count, updated_at) ON public.blog_posts TO authenticated;
-- blog_templates: not updatable: id, created_at
GRANT UPDATE (platform, locale, name, template, variables, active) ON public.blog_templates TO authenticated;
-- bookings: not updatable: id, created_at
GRANT UPDATE (booking_token, cal_booking_id, customer_email, customer_name, event_type_id, amount, currency, payment_id, status, metadata, updated_at) ON public.bookings TO authenticated;
-- cal_event_types: not updatable: id, created_at
GRANT UPDATE (slug, title, description, duration_minutes, price, currency, active, metadata, updated_at) ON public.cal_event_types TO authenticated;
-- coaching_offers: not updatable: id, created_at
GRANT UPDATE (slug, title, description, price, currency, duration_weeks, sessions_included, features, active, updated_at, metadata) ON public.coaching_offers TO authenticated;
-- community_comments: not updatable: id, post_id, author_id, likes_count, created_at
GRANT UPDATE (content, parent_id, updated_at) ON public.community_comments TO authenticated;
-- community_posts: not updatable: id, author_id, likes_count, comments_count, created_at
GRANT UPDATE (title, content, tags, published, pinned, metadata, updated_at) ON public.community_posts TO authenticated;
-- community_reports: not updatable: id, reporter_id, created_at
GRANT UPDATE (content_type, content_id, reason, description, status, reviewed_by, reviewed_at, action_taken) ON public.community_reports TO authenticated;
-- coupons: not updatable: id, created_at
GRANT UPDATE (code, discount_type, discount_value, currency, max_uses, uses_count, valid_from, valid_until, active, metadata) ON public.coupons TO authenticated;
-- email_templates: not updatable: id, created_at
GRANT UPDATE (slug, name, subject, body_html, body_text, variables, active, updated_at) ON public.email_templates TO authenticated;
-- event_prices: not updatable: id, event_id
GRANT UPDATE (tier, currency, amount, region, active, metadata) ON public.event_prices TO authenticated;
-- event_regs: not updatable: id, event_id
GRANT UPDATE (user_id, attendee_email, attendee_name, ticket_type, status, checked_in, payment_status, amount_paid, currency, metadata, registered_at, updated_at) ON public.event_regs TO authenticated;
-- events_catalog: not updatable: id, created_at
GRANT UPDATE (slug, title, description, start_time, end_time, timezone, location, capacity, registered_count, cover_image, published, tags, metadata, updated_at) ON public.events_catalog TO authenticated;
-- experiment_assignments: not updatable: id
GRANT UPDATE (experiment_key, user_id, session_id, variant, assigned_at) ON public.experiment_assignments TO authenticated;
-- experiments: not updatable: id, created_at
GRANT UPDATE (key, name, enabled, config, updated_at) ON public.experiments TO authenticated;
-- express_orders: not updatable: id, created_at
GRANT UPDATE (order_number, user_id, customer_email, customer_name, items, subtotal, tax, total, currency, payment_provider, payment_id, status, metadata, updated_at) ON public.express_orders TO authenticated;
-- funnel_stages: not updatable: id, funnel_id
GRANT UPDATE (name, "order", action_type, action_config, delay_hours) ON public.funnel_stages TO authenticated;
-- funnels: not updatable: id, created_at
GRANT UPDATE (name, slug, trigger_event, active, metadata, updated_at) ON public.funnels TO authenticated;
-- i18n_dict: not updatable: id
GRANT UPDATE (lang, ns, key, value, updated_at) ON public.i18n_dict TO authenticated;
-- leads: not updatable: id, created_at
GRANT UPDATE (email, name, phone, source, stage, status, owner, tags, notes, score, metadata, updated_at, last_contacted_at) ON public.leads TO authenticated;
-- lesson_progress: not updatable: id, user_id, lesson_id
GRANT UPDATE (last_position_sec, completed, last_watched_at, completion_date) ON public.lesson_progress TO authenticated;
-- lessons: not updatable: id, created_at
GRANT UPDATE (slug, title, description, module_id, "order", duration_sec, yt_id, chapters, tags, published, paywall, updated_at) ON public.lessons TO authenticated;
-- me_goals: not updatable: id, user_id, created_at
GRANT UPDATE (title, description, status, target_date, progress_percent, updated_at) ON public.me_goals TO authenticated;
-- me_receipts: not updatable: id, user_id
GRANT UPDATE (order_id, amount, currency, receipt_url, issued_at, metadata) ON public.me_receipts TO authenticated;
-- me_sessions: not updatable: id, user_id, created_at
GRANT UPDATE (coach_id, booking_id, session_date, notes, action_items, status, updated_at) ON public.me_sessions TO authenticated;
-- nudge_inbox: not updatable: id, user_id, type, title, message, action_url, metadata, created_at, expires_at
GRANT UPDATE (read, read_at) ON public.nudge_inbox TO authenticated;
-- push_subscriptions: not updatable: id, user_id, created_at
GRANT UPDATE (endpoint, p256dh, auth, user_agent, active, last_used_at) ON public.push_subscriptions TO authenticated;
-- remote_flags: not updatable: key
GRANT UPDATE (value, description, enabled, updated_at) ON public.remote_flags TO authenticated;
-- social_accounts: not updatable: id, user_id, created_at
GRANT UPDATE (platform, platform_user_id, username, access_token, refresh_token, token_expires_at, active, metadata, updated_at) ON public.social_accounts TO authenticated;
-- social_posts: not updatable: id, user_id, created_at
GRANT UPDATE (account_id, platform, content, media_urls, status, scheduled_for, published_at, platform_post_id, error, metadata, updated_at) ON public.social_posts TO authenticated;
-- user_badges: not updatable: id, user_id
GRANT UPDATE (badge_code, awarded_at, metadata) ON public.user_badges TO authenticated;
-- user_funnel_progress: not updatable: id, user_id
GRANT UPDATE (funnel_id, current_stage_id, started_at, completed_at, metadata) ON public.user_funnel_progress TO authenticated;
-- user_roles: not updatable: id, user_id, created_at
GRANT UPDATE (role) ON public.user_roles TO authenticated;
-- zg_profiles: not updatable: id, user_id, email, created_at
GRANT UPDATE (name, avatar_url, lang, timezone, updated_at, metadata) ON public.zg_profiles TO authenticated;
-- zg_referrals: not updatable: id, referrer_id, created_at
GRANT UPDATE (referee_email, referee_id, status, reward_amount, currency, reward_claimed, completed_at) ON public.zg_referrals TO authenticated;
-- zg_versions: not updatable: id, created_at
GRANT UPDATE (version, min_version, force_update, features, active) ON public.zg_versions TO authenticated;
