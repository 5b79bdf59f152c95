import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article } from './articleSchema.js';
import type { TroubleshootingTree } from './treeSchema.js';
import { displayPath, knowledgeError, type ContentProblem } from './knowledgeError.js';
import { parseArticle } from './parseArticle.js';
import { parseTree } from './parseTree.js';

/** The shipped content: `knowledge/` beside this file. */
export const DEFAULT_KNOWLEDGE_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface KnowledgeBase {
  /** Every article, drafts included (retrieval keeps only published ones), sorted by id. */
  articles: Article[];
  trees: TroubleshootingTree[];
}

/**
 * Reads the `.md` files under `articles/` and the `.yaml` files under `troubleshooting/` (subfolders included). Reads files and nothing else:
 * no caches, no globals. Any problem in any file — bad front matter, duplicate ids, a broken
 * tree — throws one SB_ERR_KNOWLEDGE listing every problem with its file and field.
 */
export async function loadKnowledgeBase(dir: string = DEFAULT_KNOWLEDGE_DIR): Promise<KnowledgeBase> {
  const problems: ContentProblem[] = [];
  const articles: Article[] = [];
  const articleFiles = new Map<string, string>();

  const articlesDir = path.join(dir, 'articles');
  const articlePaths = await listFiles(articlesDir, ['.md']);
  if (articlePaths === undefined) problems.push({ file: displayPath(articlesDir), field: '(folder)', message: 'missing: no articles folder' });
  for (const file of articlePaths ?? []) {
    const shown = displayPath(file);
    const result = parseArticle(await readFile(file, 'utf8'), shown);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const other = articleFiles.get(result.value.id);
    if (other !== undefined) {
      problems.push({ file: shown, field: 'id', message: `duplicate id "${result.value.id}", also used by ${other}` });
      continue;
    }
    articleFiles.set(result.value.id, shown);
    articles.push(result.value);
  }

  const articleIds = new Set(articleFiles.keys());
  const trees: TroubleshootingTree[] = [];
  const treeFiles = new Map<string, string>();
  // Trees are optional content: a shop may run without guided troubleshooting.
  for (const file of (await listFiles(path.join(dir, 'troubleshooting'), ['.yaml', '.yml'])) ?? []) {
    const shown = displayPath(file);
    const result = parseTree(await readFile(file, 'utf8'), shown, articleIds);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const other = treeFiles.get(result.value.id);
    if (other !== undefined) {
      problems.push({ file: shown, field: 'id', message: `duplicate id "${result.value.id}", also used by ${other}` });
      continue;
    }
    treeFiles.set(result.value.id, shown);
    trees.push(result.value);
  }

  if (problems.length > 0) throw knowledgeError(problems);
  articles.sort((a, b) => a.id.localeCompare(b.id));
  trees.sort((a, b) => a.id.localeCompare(b.id));
  return { articles, trees };
}

/**
 * The matching files under `dir`, subfolders included (editors may group articles by locale or
 * topic), sorted; undefined when the folder does not exist.
 */
async function listFiles(dir: string, extensions: readonly string[]): Promise<string[] | undefined> {
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return names
    .filter((name) => extensions.some((ext) => name.endsWith(ext)))
    .sort()
    .map((name) => path.join(dir, name));
}
