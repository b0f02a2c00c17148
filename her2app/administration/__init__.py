"""The electronic administration record (issue 15, item 3): what the nurse gave, held or delayed for each
scheduled administration of a verified plan, with a second nurse's independent check, and the oral supply
dispensed per cycle. See docs/administration.md."""
