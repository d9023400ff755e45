package org.lrm.xero.bench.coldstart.crac;

/** A resource refused the checkpoint. */
public class CheckpointException extends Exception {

    private static final long serialVersionUID = 1L;
}
