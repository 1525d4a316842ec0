import { z } from 'zod';
import { clientWriteSchema, settingsJson, tagList, text, TEXT } from '../client-writes.js';
import { defineCollection } from '../collection.js';
import { id, int, json, stringArray, timestamp, uid } from '../primitives.js';

export const blogPostSchema = z.strictObject({
  /** blog_posts.id (the document id is the slug). */
  id,
  title: z.string(),
  excerpt: z.string().nullable(),
  body_md: z.string().nullable(),
  cover_image: z.string().nullable(),
  author_id: uid.nullable(),
  published: z.boolean().nullable(),
  published_at: timestamp.nullable(),
  lang: z.string().nullable(),
  tags: stringArray.nullable(),
  meta_title: z.string().nullable(),
  meta_description: z.string().nullable(),
  view_count: int.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
});
export type BlogPostDoc = z.infer<typeof blogPostSchema>;
export const blogPosts = defineCollection({
  collection: 'blog_posts',
  idParam: 'slug',
  schema: blogPostSchema,
  sources: ['blog_posts'],
  access: 'public-read',
  idFrom: 'blog_posts.slug (unique)',
  description: 'Blog articles; anyone reads published ones, admins write.',
  clientWrite: clientWriteSchema(blogPostSchema, {
    title: text(TEXT.name),
    excerpt: text(1000).nullable(),
    body_md: text(TEXT.document).nullable(),
    cover_image: text(TEXT.url).nullable(),
    lang: text(16).nullable(),
    tags: tagList(8).nullable(),
    meta_title: text(TEXT.name).nullable(),
    meta_description: text(500).nullable(),
  }),
});

export const blogTemplateSchema = z.strictObject({
  platform: z.string(),
  locale: z.string().nullable(),
  name: z.string(),
  template: z.string(),
  variables: json.nullable(),
  active: z.boolean().nullable(),
  created_at: timestamp.nullable(),
});
export const blogTemplates = defineCollection({
  collection: 'blog_templates',
  idParam: 'templateId',
  schema: blogTemplateSchema,
  sources: ['blog_templates'],
  access: 'staff',
  idFrom: 'blog_templates.id',
  description: 'Templates for repurposing blog posts on social media; admins manage them.',
  clientWrite: clientWriteSchema(blogTemplateSchema, {
    platform: text(TEXT.code),
    locale: text(16).nullable(),
    name: text(TEXT.name),
    template: text(TEXT.long),
    variables: settingsJson.nullable(),
  }),
});

export const lessonSchema = z.strictObject({
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  module_id: z.string().nullable(),
  order: int.nullable(),
  duration_sec: int.nullable(),
  chapters: json.nullable(),
  tags: stringArray.nullable(),
  published: z.boolean().nullable(),
  paywall: z.boolean().nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
});
export type LessonDoc = z.infer<typeof lessonSchema>;

/** A lesson's chapters as admins write them: at most 6, each a start second and a title. */
export const chaptersWrite = z.array(z.strictObject({ start_sec: z.int().min(0), title: text(TEXT.name) })).max(6);
export const lessons = defineCollection({
  collection: 'lessons',
  idParam: 'lessonId',
  schema: lessonSchema,
  sources: ['lessons'],
  access: 'public-read',
  idFrom: 'lessons.id',
  description:
    'Video lessons: the catalogue entry (title, description, duration, chapters); anyone reads published ones, admins write. What plays the lesson is in lesson_media.',
  clientWrite: clientWriteSchema(lessonSchema, {
    slug: text(TEXT.name),
    title: text(TEXT.name),
    description: text(TEXT.paragraph).nullable(),
    module_id: text(TEXT.name).nullable(),
    chapters: chaptersWrite.nullable(),
    tags: tagList(6).nullable(),
  }),
});

/**
 * What plays a lesson (lessons.yt_id), apart from its catalogue entry so that the rules can guard it:
 * readable with its published lesson when the lesson is free, and only with a valid lesson pass
 * (users/{uid}/lesson_access) when the lesson is `paywall`.
 */
export const lessonMediaSchema = z.strictObject({
  /** The YouTube video id. */
  yt_id: z.string().nullable(),
});
export type LessonMediaDoc = z.infer<typeof lessonMediaSchema>;
export const lessonMedia = defineCollection({
  collection: 'lesson_media',
  idParam: 'lessonId',
  schema: lessonMediaSchema,
  sources: ['lessons'],
  access: 'public-read',
  idFrom: 'lessons.id (the lesson it plays)',
  description:
    "A lesson's playable media (yt_id); readable with a free published lesson, or with a valid lesson pass (users/{uid}/lesson_access) for a paywalled one; admins write.",
  clientWrite: clientWriteSchema(lessonMediaSchema, { yt_id: text(TEXT.code).nullable() }),
});
