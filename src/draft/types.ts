/** Where a draft came from: used to resolve relative material paths (draft-format.md §1, §7). */
export interface DraftContext {
  /** The URL the draft JSON was read from (after unwrapping a fyshark link). */
  draftUrl?: string;
  /** capcut-mate: every file URL of the draft folder, from its `files` list. */
  fileUrls?: string[];
  /** CLI: the folder of a local draft file. */
  localDir?: string;
}
