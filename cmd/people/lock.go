package main

import "errors"

// errLocked: another run holds the file. Two runs writing one output or
// one journal would each believe the file is theirs, and lose lines.
var errLocked = errors.New("another run of people is using it")
