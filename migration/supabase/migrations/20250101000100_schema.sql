-- The ZhenGrowth Supabase schema, as docs/supabase-schema.md (1.0.0, 2025-11-29) documents it:
-- 45 tables with exactly its columns, types, nullability and defaults, the app_role enum, every
-- listed index and unique constraint, its foreign keys, and has_role(). RLS and grants live in the
-- next file. Table order follows the document so the two can be read side by side.
--
-- Where the document is silent we add only what it implies, each time with a comment quoting why.

CREATE TYPE public.app_role AS ENUM ('admin', 'coach', 'client');
COMMENT ON TYPE public.app_role IS 'admin: full system access; coach: can manage coaching sessions, content; client: standard user access.';

CREATE TABLE public.zg_profiles (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  email text,
  name text,
  avatar_url text,
  lang text DEFAULT 'en',
  timezone text DEFAULT 'America/Los_Angeles',
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  metadata jsonb DEFAULT '{}'::jsonb,
  CONSTRAINT zg_profiles_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.zg_profiles IS 'Core user profile data and preferences.';
CREATE UNIQUE INDEX zg_profiles_user_id_key ON public.zg_profiles (user_id);
CREATE INDEX zg_profiles_email_idx ON public.zg_profiles (email);
CREATE INDEX zg_profiles_created_at_idx ON public.zg_profiles (created_at DESC);

CREATE TABLE public.user_roles (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  role public.app_role NOT NULL,
  created_at timestamptz DEFAULT now(),
  CONSTRAINT user_roles_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.user_roles IS 'Role-based access control for users.';
ALTER TABLE public.user_roles ADD CONSTRAINT user_roles_user_id_role_key UNIQUE (user_id, role);
CREATE INDEX user_roles_user_id_idx ON public.user_roles (user_id);

CREATE TABLE public.user_badges (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  badge_code text NOT NULL,
  awarded_at timestamptz DEFAULT now(),
  metadata jsonb DEFAULT '{}'::jsonb,
  CONSTRAINT user_badges_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.user_badges IS 'Achievement and gamification badges for users.';
-- No index listed; "Foreign keys are indexed for join performance" (Database Maintenance).
CREATE INDEX user_badges_user_id_idx ON public.user_badges (user_id);
CREATE INDEX user_badges_badge_code_idx ON public.user_badges (badge_code);

CREATE TABLE public.coaching_offers (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  slug text NOT NULL,
  title text NOT NULL,
  description text,
  price numeric NOT NULL,
  currency text DEFAULT 'USD',
  duration_weeks integer,
  sessions_included integer,
  features jsonb DEFAULT '[]'::jsonb,
  active boolean DEFAULT true,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  metadata jsonb DEFAULT '{}'::jsonb,
  CONSTRAINT coaching_offers_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.coaching_offers IS 'Coaching packages and programs available for purchase.';
CREATE UNIQUE INDEX coaching_offers_slug_key ON public.coaching_offers (slug);
CREATE INDEX coaching_offers_active_idx ON public.coaching_offers (active);

CREATE TABLE public.cal_bookings (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  cal_booking_id integer,
  event_id integer,
  user_id uuid,
  attendee_email text NOT NULL,
  attendee_name text,
  start_time timestamptz NOT NULL,
  end_time timestamptz,
  status text DEFAULT 'confirmed',
  meeting_url text,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT cal_bookings_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.cal_bookings IS 'Integration with Cal.com booking system.';
CREATE UNIQUE INDEX cal_bookings_cal_booking_id_key ON public.cal_bookings (cal_booking_id);
CREATE INDEX cal_bookings_event_id_idx ON public.cal_bookings (event_id);
CREATE INDEX cal_bookings_attendee_email_idx ON public.cal_bookings (attendee_email);
CREATE INDEX cal_bookings_start_time_idx ON public.cal_bookings (start_time);
-- "Foreign keys are indexed for join performance".
CREATE INDEX cal_bookings_user_id_idx ON public.cal_bookings (user_id);

CREATE TABLE public.cal_event_types (
  id integer NOT NULL,
  slug text NOT NULL,
  title text NOT NULL,
  description text,
  duration_minutes integer NOT NULL,
  price numeric DEFAULT 0,
  currency text DEFAULT 'USD',
  active boolean DEFAULT true,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT cal_event_types_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.cal_event_types IS 'Calendar event type configuration (synced with Cal.com).';

CREATE TABLE public.me_sessions (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  coach_id uuid,
  booking_id uuid,
  session_date timestamptz NOT NULL,
  notes text,
  action_items jsonb DEFAULT '[]'::jsonb,
  status text DEFAULT 'scheduled',
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT me_sessions_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.me_sessions IS 'Coaching session notes and records.';

CREATE TABLE public.me_goals (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  title text NOT NULL,
  description text,
  status text DEFAULT 'active',
  target_date date,
  progress_percent integer DEFAULT 0,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT me_goals_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.me_goals IS 'User personal goals and progress tracking.';
-- "Foreign keys are indexed for join performance".
CREATE INDEX me_goals_user_id_idx ON public.me_goals (user_id);

CREATE TABLE public.blog_posts (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  slug text NOT NULL,
  title text NOT NULL,
  excerpt text,
  body_md text,
  cover_image text,
  author_id uuid,
  published boolean DEFAULT false,
  published_at timestamptz,
  lang text DEFAULT 'en',
  tags text[] DEFAULT '{}'::text[],
  meta_title text,
  meta_description text,
  view_count integer DEFAULT 0,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT blog_posts_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.blog_posts IS 'Blog content and articles.';
CREATE UNIQUE INDEX blog_posts_slug_key ON public.blog_posts (slug);
CREATE INDEX blog_posts_published_published_at_idx ON public.blog_posts (published, published_at DESC);
CREATE INDEX blog_posts_lang_idx ON public.blog_posts (lang);
CREATE INDEX blog_posts_tags_idx ON public.blog_posts USING gin (tags);

CREATE TABLE public.blog_templates (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  platform text NOT NULL,
  locale text DEFAULT 'en',
  name text NOT NULL,
  template text NOT NULL,
  variables jsonb DEFAULT '{}'::jsonb,
  active boolean DEFAULT true,
  created_at timestamptz DEFAULT now(),
  CONSTRAINT blog_templates_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.blog_templates IS 'Social media post templates for content repurposing.';
ALTER TABLE public.blog_templates ADD CONSTRAINT blog_templates_platform_locale_name_key UNIQUE (platform, locale, name);

CREATE TABLE public.lessons (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  slug text NOT NULL,
  title text NOT NULL,
  description text,
  module_id text,
  "order" integer DEFAULT 0,
  duration_sec integer,
  yt_id text,
  chapters jsonb DEFAULT '[]'::jsonb,
  tags text[] DEFAULT '{}'::text[],
  published boolean DEFAULT true,
  paywall boolean DEFAULT false,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT lessons_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.lessons IS 'Video lessons and course content.';
CREATE UNIQUE INDEX lessons_slug_key ON public.lessons (slug);
CREATE INDEX lessons_published_order_idx ON public.lessons (published, "order");
CREATE INDEX lessons_module_id_idx ON public.lessons (module_id);

CREATE TABLE public.lesson_progress (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  lesson_id uuid NOT NULL,
  last_position_sec integer DEFAULT 0,
  completed boolean DEFAULT false,
  last_watched_at timestamptz DEFAULT now(),
  completion_date timestamptz,
  CONSTRAINT lesson_progress_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.lesson_progress IS 'User progress tracking for video lessons.';
ALTER TABLE public.lesson_progress ADD CONSTRAINT lesson_progress_user_id_lesson_id_key UNIQUE (user_id, lesson_id);
-- "Foreign keys are indexed for join performance" (user_id leads the unique constraint).
CREATE INDEX lesson_progress_lesson_id_idx ON public.lesson_progress (lesson_id);

CREATE TABLE public.bookings (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  booking_token text NOT NULL,
  cal_booking_id integer,
  customer_email text NOT NULL,
  customer_name text,
  event_type_id integer,
  amount numeric,
  currency text DEFAULT 'USD',
  payment_id text,
  status text DEFAULT 'pending',
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT bookings_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.bookings IS 'Payment-based booking records (separate from cal_bookings).';
CREATE UNIQUE INDEX bookings_booking_token_key ON public.bookings (booking_token);
CREATE UNIQUE INDEX bookings_cal_booking_id_key ON public.bookings (cal_booking_id);
CREATE INDEX bookings_customer_email_idx ON public.bookings (customer_email);
CREATE INDEX bookings_payment_id_idx ON public.bookings (payment_id);
CREATE INDEX bookings_status_idx ON public.bookings (status);
CREATE INDEX bookings_created_at_idx ON public.bookings (created_at DESC);

CREATE TABLE public.express_orders (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  order_number text NOT NULL,
  user_id uuid,
  customer_email text NOT NULL,
  customer_name text,
  items jsonb NOT NULL DEFAULT '[]'::jsonb,
  subtotal numeric NOT NULL,
  tax numeric DEFAULT 0,
  total numeric NOT NULL,
  currency text DEFAULT 'USD',
  payment_provider text,
  payment_id text,
  status text DEFAULT 'pending',
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT express_orders_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.express_orders IS 'Quick checkout orders for coaching packages.';
CREATE UNIQUE INDEX express_orders_order_number_key ON public.express_orders (order_number);
CREATE INDEX express_orders_customer_email_idx ON public.express_orders (customer_email);
CREATE INDEX express_orders_user_id_idx ON public.express_orders (user_id);
CREATE INDEX express_orders_status_idx ON public.express_orders (status);
CREATE INDEX express_orders_created_at_idx ON public.express_orders (created_at DESC);

CREATE TABLE public.payments (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid,
  order_id uuid,
  amount numeric NOT NULL,
  currency text DEFAULT 'USD',
  provider text NOT NULL,
  provider_id text,
  status text DEFAULT 'pending',
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  CONSTRAINT payments_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.payments IS 'Payment transaction records.';

CREATE TABLE public.me_receipts (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  order_id uuid,
  amount numeric NOT NULL,
  currency text DEFAULT 'USD',
  receipt_url text,
  issued_at timestamptz DEFAULT now(),
  metadata jsonb DEFAULT '{}'::jsonb,
  CONSTRAINT me_receipts_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.me_receipts IS 'Receipt records for user purchases.';

CREATE TABLE public.coupons (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL,
  discount_type text NOT NULL,
  discount_value numeric NOT NULL,
  currency text DEFAULT 'USD',
  max_uses integer,
  uses_count integer DEFAULT 0,
  valid_from timestamptz DEFAULT now(),
  valid_until timestamptz,
  active boolean DEFAULT true,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  CONSTRAINT coupons_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.coupons IS 'Discount codes and promotions.';
CREATE UNIQUE INDEX coupons_code_key ON public.coupons (code);
CREATE INDEX coupons_active_valid_until_idx ON public.coupons (active, valid_until);

CREATE TABLE public.events_catalog (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  slug text NOT NULL,
  title text NOT NULL,
  description text,
  start_time timestamptz NOT NULL,
  end_time timestamptz,
  timezone text DEFAULT 'America/Los_Angeles',
  location text,
  capacity integer,
  registered_count integer DEFAULT 0,
  cover_image text,
  published boolean DEFAULT false,
  tags text[] DEFAULT '{}'::text[],
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT events_catalog_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.events_catalog IS 'Public events and workshops.';
CREATE UNIQUE INDEX events_catalog_slug_key ON public.events_catalog (slug);
CREATE INDEX events_catalog_published_start_time_idx ON public.events_catalog (published, start_time);
CREATE INDEX events_catalog_tags_idx ON public.events_catalog USING gin (tags);

CREATE TABLE public.event_prices (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL,
  tier text DEFAULT 'standard',
  currency text NOT NULL,
  amount numeric NOT NULL,
  region text,
  active boolean DEFAULT true,
  metadata jsonb DEFAULT '{}'::jsonb,
  CONSTRAINT event_prices_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.event_prices IS 'Multi-currency and tiered pricing for events.';
CREATE INDEX event_prices_event_id_currency_idx ON public.event_prices (event_id, currency);
CREATE INDEX event_prices_active_idx ON public.event_prices (active);

CREATE TABLE public.event_regs (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL,
  user_id uuid,
  attendee_email text NOT NULL,
  attendee_name text,
  ticket_type text DEFAULT 'standard',
  status text DEFAULT 'registered',
  checked_in boolean DEFAULT false,
  payment_status text DEFAULT 'pending',
  amount_paid numeric,
  currency text DEFAULT 'USD',
  metadata jsonb DEFAULT '{}'::jsonb,
  registered_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT event_regs_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.event_regs IS 'Event registrations and attendee tracking.';
CREATE INDEX event_regs_event_id_status_idx ON public.event_regs (event_id, status);
CREATE INDEX event_regs_user_id_idx ON public.event_regs (user_id);
CREATE INDEX event_regs_attendee_email_idx ON public.event_regs (attendee_email);

CREATE TABLE public.leads (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text,
  phone text,
  source text,
  stage text DEFAULT 'new',
  status text DEFAULT 'active',
  owner uuid,
  tags text[] DEFAULT '{}'::text[],
  notes text,
  score integer DEFAULT 0,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  last_contacted_at timestamptz,
  CONSTRAINT leads_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.leads IS 'Marketing lead capture and management.';
CREATE INDEX leads_email_idx ON public.leads (email);
CREATE INDEX leads_stage_status_idx ON public.leads (stage, status);
CREATE INDEX leads_owner_idx ON public.leads (owner);
CREATE INDEX leads_created_at_idx ON public.leads (created_at DESC);

CREATE TABLE public.funnels (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  slug text NOT NULL,
  trigger_event text,
  active boolean DEFAULT true,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT funnels_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.funnels IS 'Marketing funnel definitions.';

CREATE TABLE public.funnel_stages (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  funnel_id uuid NOT NULL,
  name text NOT NULL,
  "order" integer NOT NULL,
  action_type text,
  action_config jsonb DEFAULT '{}'::jsonb,
  delay_hours integer DEFAULT 0,
  CONSTRAINT funnel_stages_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.funnel_stages IS 'Stages within marketing funnels.';
-- "Foreign keys are indexed for join performance".
CREATE INDEX funnel_stages_funnel_id_idx ON public.funnel_stages (funnel_id);

CREATE TABLE public.user_funnel_progress (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  funnel_id uuid NOT NULL,
  current_stage_id uuid,
  started_at timestamptz DEFAULT now(),
  completed_at timestamptz,
  metadata jsonb DEFAULT '{}'::jsonb,
  CONSTRAINT user_funnel_progress_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.user_funnel_progress IS 'User progress through marketing funnels.';
-- "Foreign keys are indexed for join performance".
CREATE INDEX user_funnel_progress_user_id_idx ON public.user_funnel_progress (user_id);
CREATE INDEX user_funnel_progress_funnel_id_idx ON public.user_funnel_progress (funnel_id);

CREATE TABLE public.zg_referrals (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  referrer_id uuid NOT NULL,
  referee_email text NOT NULL,
  referee_id uuid,
  status text DEFAULT 'pending',
  reward_amount numeric,
  currency text DEFAULT 'USD',
  reward_claimed boolean DEFAULT false,
  created_at timestamptz DEFAULT now(),
  completed_at timestamptz,
  CONSTRAINT zg_referrals_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.zg_referrals IS 'Referral program tracking.';

CREATE TABLE public.analytics_events (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  event_name text NOT NULL,
  user_id uuid,
  session_id text,
  properties jsonb DEFAULT '{}'::jsonb,
  page_url text,
  referrer text,
  user_agent text,
  ip_address inet,
  created_at timestamptz DEFAULT now(),
  CONSTRAINT analytics_events_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.analytics_events IS 'Custom event tracking and analytics.';
CREATE INDEX analytics_events_event_name_idx ON public.analytics_events (event_name);
CREATE INDEX analytics_events_user_id_idx ON public.analytics_events (user_id);
CREATE INDEX analytics_events_session_id_idx ON public.analytics_events (session_id);
CREATE INDEX analytics_events_created_at_idx ON public.analytics_events (created_at DESC);

CREATE TABLE public.experiments (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  key text NOT NULL,
  name text NOT NULL,
  enabled boolean DEFAULT true,
  config jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT experiments_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.experiments IS 'A/B testing configuration.';
-- No index listed, but the column is "Experiment key (unique)".
ALTER TABLE public.experiments ADD CONSTRAINT experiments_key_key UNIQUE (key);

CREATE TABLE public.experiment_assignments (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  experiment_key text NOT NULL,
  user_id uuid,
  session_id text,
  variant text NOT NULL,
  assigned_at timestamptz DEFAULT now(),
  CONSTRAINT experiment_assignments_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.experiment_assignments IS 'User assignments to experiment variants.';

CREATE TABLE public.ai_logs (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  mode text NOT NULL,
  route text,
  prompt text,
  response text,
  model text,
  tokens_used integer,
  duration_ms integer,
  error text,
  metadata jsonb DEFAULT '{}'::jsonb,
  at timestamptz DEFAULT now(),
  CONSTRAINT ai_logs_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.ai_logs IS 'AI interaction logging and debugging.';
CREATE INDEX ai_logs_mode_idx ON public.ai_logs (mode);
CREATE INDEX ai_logs_route_idx ON public.ai_logs (route);
CREATE INDEX ai_logs_at_idx ON public.ai_logs (at DESC);

CREATE TABLE public.ai_suggestions_cache (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  profile_id uuid NOT NULL,
  suggestion_type text NOT NULL,
  suggestion_lang text DEFAULT 'en',
  content jsonb NOT NULL,
  expires_at timestamptz,
  created_at timestamptz DEFAULT now(),
  CONSTRAINT ai_suggestions_cache_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.ai_suggestions_cache IS 'Cached AI-generated suggestions for performance.';
CREATE INDEX ai_suggestions_cache_profile_id_suggestion_lang_idx ON public.ai_suggestions_cache (profile_id, suggestion_lang);

CREATE TABLE public.community_posts (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  author_id uuid NOT NULL,
  title text NOT NULL,
  content text NOT NULL,
  tags text[] DEFAULT '{}'::text[],
  likes_count integer DEFAULT 0,
  comments_count integer DEFAULT 0,
  published boolean DEFAULT true,
  pinned boolean DEFAULT false,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT community_posts_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.community_posts IS 'User-generated community content.';
CREATE INDEX community_posts_author_id_idx ON public.community_posts (author_id);
CREATE INDEX community_posts_published_created_at_idx ON public.community_posts (published, created_at DESC);
CREATE INDEX community_posts_tags_idx ON public.community_posts USING gin (tags);

CREATE TABLE public.community_comments (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  post_id uuid NOT NULL,
  author_id uuid NOT NULL,
  content text NOT NULL,
  parent_id uuid,
  likes_count integer DEFAULT 0,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT community_comments_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.community_comments IS 'Comments on community posts.';
-- "Foreign keys are indexed for join performance".
CREATE INDEX community_comments_post_id_idx ON public.community_comments (post_id);

CREATE TABLE public.community_reports (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  reporter_id uuid NOT NULL,
  content_type text NOT NULL,
  content_id uuid NOT NULL,
  reason text NOT NULL,
  description text,
  status text DEFAULT 'pending',
  reviewed_by uuid,
  reviewed_at timestamptz,
  action_taken text,
  created_at timestamptz DEFAULT now(),
  CONSTRAINT community_reports_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.community_reports IS 'Content moderation reports.';

CREATE TABLE public.social_accounts (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  platform text NOT NULL,
  platform_user_id text,
  username text,
  access_token text,
  refresh_token text,
  token_expires_at timestamptz,
  active boolean DEFAULT true,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT social_accounts_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.social_accounts IS 'Connected social media accounts.';

CREATE TABLE public.social_posts (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  account_id uuid NOT NULL,
  platform text NOT NULL,
  content text NOT NULL,
  media_urls text[] DEFAULT '{}'::text[],
  status text DEFAULT 'draft',
  scheduled_for timestamptz,
  published_at timestamptz,
  platform_post_id text,
  error text,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT social_posts_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.social_posts IS 'Scheduled and published social media posts.';

CREATE TABLE public.social_analytics (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  post_id uuid NOT NULL,
  impressions integer DEFAULT 0,
  likes integer DEFAULT 0,
  comments integer DEFAULT 0,
  shares integer DEFAULT 0,
  clicks integer DEFAULT 0,
  engagement_rate numeric,
  fetched_at timestamptz DEFAULT now(),
  CONSTRAINT social_analytics_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.social_analytics IS 'Social media performance metrics.';
-- "Foreign keys are indexed for join performance".
CREATE INDEX social_analytics_post_id_idx ON public.social_analytics (post_id);

CREATE TABLE public.remote_flags (
  key text NOT NULL,
  value jsonb NOT NULL,
  description text,
  enabled boolean DEFAULT true,
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT remote_flags_pkey PRIMARY KEY (key)
);
COMMENT ON TABLE public.remote_flags IS 'Feature flags and remote configuration.';
CREATE INDEX remote_flags_enabled_idx ON public.remote_flags (enabled);

CREATE TABLE public.i18n_dict (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  lang text NOT NULL,
  ns text NOT NULL,
  key text NOT NULL,
  value text NOT NULL,
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT i18n_dict_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.i18n_dict IS 'Internationalization translations.';
-- The document lists both a unique constraint and a unique index on (lang, ns, key): one
-- constraint, whose index is that unique index (a second identical index would only cost writes).
ALTER TABLE public.i18n_dict ADD CONSTRAINT i18n_dict_lang_ns_key_key UNIQUE (lang, ns, key);

CREATE TABLE public.email_templates (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  slug text NOT NULL,
  name text NOT NULL,
  subject text NOT NULL,
  body_html text NOT NULL,
  body_text text,
  variables jsonb DEFAULT '{}'::jsonb,
  active boolean DEFAULT true,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  CONSTRAINT email_templates_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.email_templates IS 'Transactional email templates.';

CREATE TABLE public.email_queue (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  to_email text NOT NULL,
  template_slug text,
  subject text NOT NULL,
  body_html text,
  body_text text,
  variables jsonb DEFAULT '{}'::jsonb,
  status text DEFAULT 'pending',
  scheduled_for timestamptz DEFAULT now(),
  sent_at timestamptz,
  error text,
  attempts integer DEFAULT 0,
  created_at timestamptz DEFAULT now(),
  CONSTRAINT email_queue_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.email_queue IS 'Email sending queue (processed by background jobs).';

CREATE TABLE public.email_logs (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  queue_id uuid,
  to_email text NOT NULL,
  subject text,
  status text NOT NULL,
  provider_id text,
  error text,
  metadata jsonb DEFAULT '{}'::jsonb,
  sent_at timestamptz DEFAULT now(),
  CONSTRAINT email_logs_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.email_logs IS 'Email delivery logs.';
-- "Foreign keys are indexed for join performance".
CREATE INDEX email_logs_queue_id_idx ON public.email_logs (queue_id);

CREATE TABLE public.badges (
  code text NOT NULL,
  name text NOT NULL,
  description text,
  icon text,
  criteria jsonb DEFAULT '{}'::jsonb,
  active boolean DEFAULT true,
  CONSTRAINT badges_pkey PRIMARY KEY (code)
);
COMMENT ON TABLE public.badges IS 'Achievement badge definitions.';

CREATE TABLE public.zg_versions (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  version text NOT NULL,
  min_version text,
  force_update boolean DEFAULT false,
  features jsonb DEFAULT '{}'::jsonb,
  active boolean DEFAULT true,
  created_at timestamptz DEFAULT now(),
  CONSTRAINT zg_versions_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.zg_versions IS 'Version control and feature gates.';

CREATE TABLE public.nudge_inbox (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  type text,
  title text,
  message text NOT NULL,
  action_url text,
  read boolean DEFAULT false,
  read_at timestamptz,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  expires_at timestamptz,
  CONSTRAINT nudge_inbox_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.nudge_inbox IS 'In-app notifications and nudges for users.';
CREATE INDEX nudge_inbox_user_id_read_created_at_idx ON public.nudge_inbox (user_id, read, created_at DESC);

CREATE TABLE public.push_subscriptions (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid,
  endpoint text NOT NULL,
  p256dh text NOT NULL,
  auth text NOT NULL,
  user_agent text,
  active boolean DEFAULT true,
  created_at timestamptz DEFAULT now(),
  last_used_at timestamptz,
  CONSTRAINT push_subscriptions_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.push_subscriptions IS 'Web push notification subscriptions.';
CREATE UNIQUE INDEX push_subscriptions_endpoint_key ON public.push_subscriptions (endpoint);
CREATE INDEX push_subscriptions_user_id_active_idx ON public.push_subscriptions (user_id, active);

-- ---------------------------------------------------------------------------------------------
-- Foreign keys: exactly the columns the document marks "References x(y)".
-- The document never says what happens on delete; one rule for all of them: a NOT NULL reference
-- belongs to its parent (CASCADE), a nullable one outlives it (SET NULL).
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.zg_profiles ADD CONSTRAINT zg_profiles_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
ALTER TABLE public.user_roles ADD CONSTRAINT user_roles_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
ALTER TABLE public.user_badges ADD CONSTRAINT user_badges_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
ALTER TABLE public.user_badges ADD CONSTRAINT user_badges_badge_code_fkey
  FOREIGN KEY (badge_code) REFERENCES public.badges (code) ON DELETE CASCADE;
ALTER TABLE public.cal_bookings ADD CONSTRAINT cal_bookings_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE SET NULL;
ALTER TABLE public.me_goals ADD CONSTRAINT me_goals_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
ALTER TABLE public.lesson_progress ADD CONSTRAINT lesson_progress_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
ALTER TABLE public.lesson_progress ADD CONSTRAINT lesson_progress_lesson_id_fkey
  FOREIGN KEY (lesson_id) REFERENCES public.lessons (id) ON DELETE CASCADE;
ALTER TABLE public.event_prices ADD CONSTRAINT event_prices_event_id_fkey
  FOREIGN KEY (event_id) REFERENCES public.events_catalog (id) ON DELETE CASCADE;
ALTER TABLE public.event_regs ADD CONSTRAINT event_regs_event_id_fkey
  FOREIGN KEY (event_id) REFERENCES public.events_catalog (id) ON DELETE CASCADE;
ALTER TABLE public.funnel_stages ADD CONSTRAINT funnel_stages_funnel_id_fkey
  FOREIGN KEY (funnel_id) REFERENCES public.funnels (id) ON DELETE CASCADE;
ALTER TABLE public.user_funnel_progress ADD CONSTRAINT user_funnel_progress_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
ALTER TABLE public.user_funnel_progress ADD CONSTRAINT user_funnel_progress_funnel_id_fkey
  FOREIGN KEY (funnel_id) REFERENCES public.funnels (id) ON DELETE CASCADE;
ALTER TABLE public.community_comments ADD CONSTRAINT community_comments_post_id_fkey
  FOREIGN KEY (post_id) REFERENCES public.community_posts (id) ON DELETE CASCADE;
ALTER TABLE public.social_analytics ADD CONSTRAINT social_analytics_post_id_fkey
  FOREIGN KEY (post_id) REFERENCES public.social_posts (id) ON DELETE CASCADE;
ALTER TABLE public.email_logs ADD CONSTRAINT email_logs_queue_id_fkey
  FOREIGN KEY (queue_id) REFERENCES public.email_queue (id) ON DELETE SET NULL;

-- ---------------------------------------------------------------------------------------------
-- Logical references: columns whose description names another row ("Coach user ID", "Related
-- order") but which the document does not mark "References". Production may hold orphans there,
-- so they get no foreign key (our copy must accept whatever the real one accepts). The comment
-- records the relation in one machine-readable form, "Logical reference to t(c)", which the
-- generator honours and its tests check.
-- ---------------------------------------------------------------------------------------------
COMMENT ON COLUMN public.cal_bookings.event_id IS 'Cal.com event type ID. Logical reference to public.cal_event_types(id).';
COMMENT ON COLUMN public.me_sessions.user_id IS 'Client user ID. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.me_sessions.coach_id IS 'Coach user ID. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.me_sessions.booking_id IS 'Related booking. Logical reference to public.cal_bookings(id).';
COMMENT ON COLUMN public.blog_posts.author_id IS 'Author user ID. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.bookings.event_type_id IS 'Event type. Logical reference to public.cal_event_types(id).';
COMMENT ON COLUMN public.express_orders.user_id IS 'Buyer user ID. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.payments.user_id IS 'Payer user ID. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.payments.order_id IS 'Related order. Logical reference to public.express_orders(id).';
COMMENT ON COLUMN public.me_receipts.user_id IS 'Buyer user ID. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.me_receipts.order_id IS 'Related order. Logical reference to public.express_orders(id).';
COMMENT ON COLUMN public.event_regs.user_id IS 'Registered user. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.leads.owner IS 'Assigned coach/admin. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.user_funnel_progress.current_stage_id IS 'Current stage. Logical reference to public.funnel_stages(id).';
COMMENT ON COLUMN public.zg_referrals.referrer_id IS 'Referrer user ID. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.zg_referrals.referee_id IS 'Referred user ID (after signup). Logical reference to auth.users(id).';
COMMENT ON COLUMN public.analytics_events.user_id IS 'User who triggered. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.experiment_assignments.experiment_key IS 'Experiment identifier. Logical reference to public.experiments(key).';
COMMENT ON COLUMN public.experiment_assignments.user_id IS 'Assigned user. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.ai_suggestions_cache.profile_id IS 'User profile ID. Logical reference to public.zg_profiles(id).';
COMMENT ON COLUMN public.community_posts.author_id IS 'Post author. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.community_comments.author_id IS 'Comment author. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.community_comments.parent_id IS 'Parent comment (for replies). Logical reference to public.community_comments(id).';
COMMENT ON COLUMN public.community_reports.reporter_id IS 'User who reported. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.community_reports.content_id IS 'Reported content ID. Logical reference to public.community_posts(id) or public.community_comments(id), chosen by content_type.';
COMMENT ON COLUMN public.community_reports.reviewed_by IS 'Moderator. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.social_accounts.user_id IS 'Account owner. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.social_posts.user_id IS 'Post creator. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.social_posts.account_id IS 'Social account. Logical reference to public.social_accounts(id).';
COMMENT ON COLUMN public.email_queue.template_slug IS 'Template to use. Logical reference to public.email_templates(slug).';
COMMENT ON COLUMN public.nudge_inbox.user_id IS 'Recipient user ID. Logical reference to auth.users(id).';
COMMENT ON COLUMN public.push_subscriptions.user_id IS 'Subscribed user. Logical reference to auth.users(id).';

-- ---------------------------------------------------------------------------------------------
-- has_role: verbatim from the document ("Security Functions"). SECURITY DEFINER so that policies
-- on user_roles itself can call it without recursing into user_roles' own RLS.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.has_role(_user_id uuid, _role app_role)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public
AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public.user_roles
    WHERE user_id = _user_id
      AND role = _role
  )
$$;
