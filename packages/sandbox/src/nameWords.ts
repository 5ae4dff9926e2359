/**
 * The two word lists fresh account names are made of (accountNames.ts): short, common, friendly
 * words a person can read out across a room, all of a-z only, so "word-word" always fits the
 * account name rule. 64 × 64 = 4096 two-word names.
 */

export const ADJECTIVES: readonly string[] = Object.freeze([
  'amber', 'azure', 'bold', 'brave', 'breezy', 'bright', 'brisk', 'calm',
  'cheery', 'clever', 'coral', 'cosmic', 'crisp', 'dapper', 'eager', 'fancy',
  'fleet', 'fluffy', 'frosty', 'gentle', 'golden', 'happy', 'hazel', 'honest',
  'humble', 'jolly', 'keen', 'kind', 'lively', 'lucky', 'lunar', 'mellow',
  'merry', 'mighty', 'misty', 'nimble', 'noble', 'olive', 'plucky', 'polar',
  'proud', 'quick', 'quiet', 'rapid', 'rosy', 'ruby', 'rustic', 'sandy',
  'silver', 'sleek', 'snowy', 'solar', 'sonic', 'spry', 'steady', 'sunny',
  'swift', 'tidy', 'topaz', 'tranquil', 'vivid', 'witty', 'zesty', 'zippy',
]);

export const ANIMALS: readonly string[] = Object.freeze([
  'badger', 'beaver', 'bison', 'crane', 'dingo', 'dolphin', 'eagle', 'falcon',
  'ferret', 'finch', 'fox', 'gecko', 'gibbon', 'hare', 'hedgehog', 'heron',
  'ibis', 'jackal', 'koala', 'lark', 'lemur', 'llama', 'lynx', 'magpie',
  'marmot', 'marten', 'meerkat', 'mole', 'moose', 'newt', 'ocelot', 'orca',
  'osprey', 'otter', 'owl', 'panda', 'parrot', 'pelican', 'penguin', 'puffin',
  'quail', 'rabbit', 'raven', 'robin', 'salmon', 'seal', 'shrew', 'sparrow',
  'squid', 'stoat', 'swan', 'tapir', 'tiger', 'toucan', 'trout', 'turtle',
  'walrus', 'weasel', 'whale', 'wombat', 'wren', 'yak', 'zebra', 'bee',
]);
