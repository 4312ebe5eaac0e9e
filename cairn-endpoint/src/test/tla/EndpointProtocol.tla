--------------------------- MODULE EndpointProtocol ---------------------------
(***************************************************************************)
(* Cairn's endpoint protocol: a planner publishes plans with growing       *)
(* versions; enactors independently take a lock, build a plan's tree,     *)
(* flip the root alias and _active to it, release the lock and clean old   *)
(* trees. With Guarded = FALSE it is the 2025 protocol: an enactor flips   *)
(* to whatever plan it holds and its cleaner deletes every tree more than  *)
(* Keep versions below its own plan. With Guarded = TRUE:                 *)
(*   - a plan is applied only if newer than the active one (checked in the *)
(*     same batch that flips, by compare-and-set on _active);              *)
(*   - the flip requires the plan's tree to exist in that same batch;     *)
(*   - the cleaner's horizon is the active version read in its own batch, *)
(*     it keeps the Keep newest plans at or below active, and never        *)
(*     deletes the active tree, the root's target, or anything newer.     *)
(* The lock is modelled by its holder: a batch carrying the lock succeeds *)
(* only if the lock has not moved since the enactor took it (the fence).  *)
(* Leases expire at any moment, so any enactor may take the lock at any   *)
(* time; safety must not depend on the lock.                               *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS Enactors, MaxVersion, Keep, Guarded

None == "none"
Versions == 1..MaxVersion

VARIABLES
  newest,   \* newest plan version published
  active,   \* version in _active
  root,     \* version the root alias points at
  trees,    \* versions whose tree exists in the zone
  holder,   \* lock holder, or None
  pc,       \* each enactor's phase
  held      \* the plan each enactor holds (0: none)

vars == <<newest, active, root, trees, holder, pc, held>>

Init ==
  /\ newest = 1
  /\ active = 1
  /\ root = 1
  /\ trees = {1}
  /\ holder = None
  /\ pc = [e \in Enactors |-> "start"]
  /\ held = [e \in Enactors |-> 0]

Publish ==
  /\ newest < MaxVersion
  /\ newest' = newest + 1
  /\ UNCHANGED <<active, root, trees, holder, pc, held>>

Start(e) ==
  /\ pc[e] = "start"
  /\ IF Guarded /\ newest <= active
       THEN /\ held' = [held EXCEPT ![e] = 0]
            /\ pc' = [pc EXCEPT ![e] = "clean"]
       ELSE /\ held' = [held EXCEPT ![e] = newest]
            /\ pc' = [pc EXCEPT ![e] = "lock"]
  /\ UNCHANGED <<newest, active, root, trees, holder>>

\* Free, or held by someone whose lease ran out: the fence moves on.
Lock(e) ==
  /\ pc[e] = "lock"
  /\ holder' = e
  /\ pc' = [pc EXCEPT ![e] = "build"]
  /\ UNCHANGED <<newest, active, root, trees, held>>

\* A batch carrying a lock that moved fails as a whole; the enactor keeps its plan and
\* goes back for the lock, as the 2025 enactor did.
LostLock(e) ==
  /\ pc[e] \in {"build", "flip", "release"}
  /\ holder # e
  /\ pc' = [pc EXCEPT ![e] = IF pc[e] = "release" THEN "clean" ELSE "lock"]
  /\ UNCHANGED <<newest, active, root, trees, holder, held>>

Stale(e) == Guarded /\ held[e] <= active

Build(e) ==
  /\ pc[e] = "build"
  /\ holder = e
  /\ IF Stale(e)
       THEN /\ pc' = [pc EXCEPT ![e] = "release"]
            /\ held' = [held EXCEPT ![e] = 0]
            /\ UNCHANGED trees
       ELSE /\ trees' = trees \cup {held[e]}
            /\ pc' = [pc EXCEPT ![e] = "flip"]
            /\ UNCHANGED held
  /\ UNCHANGED <<newest, active, root, holder>>

Flip(e) ==
  /\ pc[e] = "flip"
  /\ holder = e
  /\ IF Stale(e)
       THEN /\ pc' = [pc EXCEPT ![e] = "release"]
            /\ held' = [held EXCEPT ![e] = 0]
            /\ UNCHANGED <<active, root>>
       ELSE IF Guarded /\ held[e] \notin trees
       THEN /\ pc' = [pc EXCEPT ![e] = "build"]
            /\ UNCHANGED <<active, root, held>>
       ELSE /\ active' = held[e]
            /\ root' = held[e]
            /\ pc' = [pc EXCEPT ![e] = "release"]
            /\ UNCHANGED held
  /\ UNCHANGED <<newest, trees, holder>>

Release(e) ==
  /\ pc[e] = "release"
  /\ holder = e
  /\ holder' = None
  /\ pc' = [pc EXCEPT ![e] = "clean"]
  /\ UNCHANGED <<newest, active, root, trees, held>>

\* The Keep newest versions in S.
Newest(S, k) == {v \in S : Cardinality({w \in S : w > v}) < k}

Victims(e) ==
  IF Guarded
    THEN LET below == {v \in trees : v <= active}
         IN {v \in below \ Newest(below, Keep) : v # active /\ v # root}
    ELSE {v \in trees : held[e] > 0 /\ v + Keep <= held[e]}

Clean(e) ==
  /\ pc[e] = "clean"
  /\ trees' = trees \ Victims(e)
  /\ pc' = [pc EXCEPT ![e] = "start"]
  /\ held' = [held EXCEPT ![e] = 0]
  /\ UNCHANGED <<newest, active, root, holder>>

Crash(e) ==
  /\ pc[e] # "start"
  /\ pc' = [pc EXCEPT ![e] = "start"]
  /\ held' = [held EXCEPT ![e] = 0]
  /\ UNCHANGED <<newest, active, root, trees, holder>>

Next ==
  \/ Publish
  \/ \E e \in Enactors :
       Start(e) \/ Lock(e) \/ LostLock(e) \/ Build(e) \/ Flip(e) \/ Release(e)
       \/ Clean(e) \/ Crash(e)

Spec == Init /\ [][Next]_vars

TypeOK ==
  /\ newest \in Versions
  /\ active \in Versions /\ root \in Versions
  /\ trees \subseteq Versions
  /\ holder \in Enactors \cup {None}
  /\ held \in [Enactors -> 0..MaxVersion]

\* The endpoint resolves: the root alias points at a tree that exists.
RootResolves == root \in trees

\* _active and the root never disagree, and the active plan was published.
ActiveConsistent == active = root /\ active <= newest

\* Not a property of the protocol: a check that the model can make progress. TLC must find a
\* state violating it, or the guarded model would be passing by doing nothing.
NeverReachesNewest == active < MaxVersion

\* The active version never decreases.
ActiveMonotonic == [][active' >= active]_vars
===============================================================================
