/** The GraphQL documents driftwatch sends to Linear; tests validate each against Linear's published schema. */

export const FIND_ALERT_ISSUES = /* GraphQL */ `
  query DriftwatchAlertIssues($url: String!) {
    attachmentsForURL(url: $url, first: 20) {
      nodes {
        id
        issue { id identifier url state { type } }
      }
    }
  }`;

export const ISSUE_BY_ID = /* GraphQL */ `
  query DriftwatchIssue($id: String!) {
    issue(id: $id) { id identifier url state { type } }
  }`;

export const COMMENT_BY_ID = /* GraphQL */ `
  query DriftwatchComment($id: String!) {
    comment(id: $id) { id }
  }`;

export const CREATE_ISSUE = /* GraphQL */ `
  mutation DriftwatchCreateIssue($input: IssueCreateInput!) {
    issueCreate(input: $input) { success issue { id identifier url } }
  }`;

export const CREATE_ATTACHMENT = /* GraphQL */ `
  mutation DriftwatchLinkAlert($input: AttachmentCreateInput!) {
    attachmentCreate(input: $input) { success attachment { id } }
  }`;

export const CREATE_COMMENT = /* GraphQL */ `
  mutation DriftwatchAddComment($input: CommentCreateInput!) {
    commentCreate(input: $input) { success comment { id } }
  }`;

export const UPDATE_ISSUE_STATE = /* GraphQL */ `
  mutation DriftwatchResolveIssue($id: String!, $input: IssueUpdateInput!) {
    issueUpdate(id: $id, input: $input) { success }
  }`;

/** check-config --connect: a harmless read that proves the key works and the team exists. */
export const TEAM_BY_ID = /* GraphQL */ `
  query DriftwatchTeam($id: String!) {
    team(id: $id) { id name key }
  }`;

export const ALL_DOCUMENTS = [TEAM_BY_ID, FIND_ALERT_ISSUES, ISSUE_BY_ID, COMMENT_BY_ID, CREATE_ISSUE, CREATE_ATTACHMENT, CREATE_COMMENT, UPDATE_ISSUE_STATE];
