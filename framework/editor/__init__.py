"""HR's framework editor: versions, a draft's parts, publishing, history, diff, import,
export."""
