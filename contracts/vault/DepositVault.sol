// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IRestakeManager} from "../restake/IRestakeManager.sol";

/// @title DepositVault
/// @notice Holds whitelisted ERC-20s (liquid restaking tokens and wETH) for users, who accrue points per second
///         on their deposited value. Value is the balance normalised to 18 decimals times a per-token weight
///         (1e18 = 1.0) set by the owner. Accrual is checkpointed: a per-token cumulative index advances with
///         time × weight, and a user's points are settled on every change of their balance or of the weight.
/// @dev    1e18 points = one normalised token (1e18 units) held for one second at weight 1.0.
///         Withdraw rule: a user may withdraw their own balance at any time while the vault is not paused,
///         including balances of tokens that were removed from the whitelist. The claim manager may move a
///         user's balance (e.g. to the next phase of the programme) only once deposits have stopped.
contract DepositVault is Ownable2Step, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 public constant WEIGHT_ONE = 1e18;
    uint256 public constant MAX_WEIGHT = 100e18;

    struct TokenInfo {
        bool known; // ever whitelisted: balances stay withdrawable after removal
        bool listed; // currently whitelisted: deposits accepted, points accrue
        uint8 decimals;
        uint64 lastUpdate; // timestamp the index was last advanced to
        uint256 weight; // 1e18 = 1.0; 0 while delisted
        uint256 index; // cumulative Σ weight·dt
    }

    struct Position {
        uint256 balance; // raw token units credited to the user
        uint256 points; // points settled at the last checkpoint
        uint256 index; // token index at the last checkpoint
    }

    mapping(address token => TokenInfo) private _tokens;
    address[] private _tokenList;
    mapping(address user => mapping(address token => Position)) private _positions;
    mapping(address token => uint256) public totalDeposited;

    /// @notice Deposits are accepted while block.timestamp < depositStopTime.
    uint64 public depositStopTime = type(uint64).max;
    address public claimManager;
    IRestakeManager public restakeManager;
    address public restakedToken; // ezETH minted by the restake manager

    event TokenWhitelisted(address indexed token, uint256 weight, uint8 decimals);
    event TokenRemoved(address indexed token);
    event WeightSet(address indexed token, uint256 oldWeight, uint256 newWeight);
    event DepositStopTimeSet(uint64 stopTime);
    event ClaimManagerSet(address indexed previous, address indexed current);
    event RestakeManagerSet(address indexed manager, address indexed restakedToken);
    event Deposited(address indexed user, address indexed token, uint256 sent, uint256 credited);
    event Withdrawn(address indexed user, address indexed token, uint256 amount);
    event Restaked(address indexed user, address indexed token, uint256 amount, uint256 restakedMinted);
    event Claimed(address indexed user, address indexed token, uint256 amount, address indexed receiver);

    error ZeroAddress();
    error ZeroAmount();
    error TokenAlreadyWhitelisted(address token);
    error TokenNotWhitelisted(address token);
    error UnknownToken(address token);
    error UnsupportedDecimals(address token, uint8 decimals);
    error InvalidWeight(uint256 weight);
    error DepositsStopped(uint64 stopTime);
    error StopTimeInPast(uint64 stopTime);
    error InsufficientBalance(address user, address token, uint256 balance, uint256 requested);
    error NotClaimManager(address caller);
    error ClaimNotOpen(uint64 opensAt);
    error RestakeNotConfigured();
    error CannotRestakeRestakedToken();
    error RestakeTransferMismatch(uint256 expected, uint256 pulled);
    error NothingMinted();

    constructor(address owner_) Ownable(owner_) {}

    // ───────────────────────────── owner ─────────────────────────────

    /// @notice Whitelist `token` with `weight` (1e18 = 1.0). A token already whitelisted is refused;
    ///         a previously removed token may be listed again.
    function addToken(address token, uint256 weight) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        TokenInfo storage t = _tokens[token];
        if (t.listed) revert TokenAlreadyWhitelisted(token);
        if (weight == 0 || weight > MAX_WEIGHT) revert InvalidWeight(weight);
        uint8 dec = IERC20Metadata(token).decimals();
        if (dec > 18) revert UnsupportedDecimals(token, dec);
        _advance(t);
        if (!t.known) {
            t.known = true;
            _tokenList.push(token);
        }
        t.listed = true;
        t.decimals = dec;
        t.weight = weight;
        emit TokenWhitelisted(token, weight, dec);
    }

    /// @notice Stop deposits of `token` and stop its points; existing balances stay withdrawable.
    function removeToken(address token) external onlyOwner {
        TokenInfo storage t = _tokens[token];
        if (!t.listed) revert TokenNotWhitelisted(token);
        _advance(t);
        t.listed = false;
        t.weight = 0;
        emit TokenRemoved(token);
    }

    /// @notice Change a listed token's weight; points up to now accrue at the old weight.
    function setWeight(address token, uint256 weight) external onlyOwner {
        TokenInfo storage t = _tokens[token];
        if (!t.listed) revert TokenNotWhitelisted(token);
        if (weight == 0 || weight > MAX_WEIGHT) revert InvalidWeight(weight);
        _advance(t);
        emit WeightSet(token, t.weight, weight);
        t.weight = weight;
    }

    /// @notice Deposits are refused from `stopTime` on (which must not be in the past).
    function setDepositStopTime(uint64 stopTime) external onlyOwner {
        if (stopTime < block.timestamp) revert StopTimeInPast(stopTime);
        depositStopTime = stopTime;
        emit DepositStopTimeSet(stopTime);
    }

    function setClaimManager(address manager) external onlyOwner {
        emit ClaimManagerSet(claimManager, manager);
        claimManager = manager;
    }

    /// @notice Configure the Renzo-style restake manager and the token it mints (must be whitelisted).
    function setRestakeManager(address manager, address restaked) external onlyOwner {
        if (manager == address(0) || restaked == address(0)) revert ZeroAddress();
        if (!_tokens[restaked].listed) revert TokenNotWhitelisted(restaked);
        restakeManager = IRestakeManager(manager);
        restakedToken = restaked;
        emit RestakeManagerSet(manager, restaked);
    }

    function pause() external onlyOwner {
        _pause();
    }

    function unpause() external onlyOwner {
        _unpause();
    }

    // ───────────────────────────── users ─────────────────────────────

    /// @notice Deposit `amount` of a whitelisted token; the credit is what actually arrived (fee-on-transfer safe).
    function deposit(address token, uint256 amount) external whenNotPaused nonReentrant returns (uint256 credited) {
        if (amount == 0) revert ZeroAmount();
        if (!_tokens[token].listed) revert TokenNotWhitelisted(token);
        if (block.timestamp >= depositStopTime) revert DepositsStopped(depositStopTime);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        credited = IERC20(token).balanceOf(address(this)) - before;
        if (credited == 0) revert ZeroAmount();
        _checkpoint(msg.sender, token);
        _positions[msg.sender][token].balance += credited;
        totalDeposited[token] += credited;
        emit Deposited(msg.sender, token, amount, credited);
    }

    /// @notice Withdraw your own balance (also of tokens removed from the whitelist).
    function withdraw(address token, uint256 amount) external whenNotPaused nonReentrant {
        _debit(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, token, amount);
    }

    /// @notice Restake `amount` of your deposited `token` through the restake manager; the ezETH it mints to the
    ///         vault is credited to you (points continue at ezETH's weight).
    function restake(address token, uint256 amount) external whenNotPaused nonReentrant returns (uint256 minted) {
        IRestakeManager manager = restakeManager;
        address restaked = restakedToken;
        if (address(manager) == address(0)) revert RestakeNotConfigured();
        if (token == restaked) revert CannotRestakeRestakedToken();
        if (!_tokens[restaked].listed) revert TokenNotWhitelisted(restaked);
        _debit(msg.sender, token, amount);

        uint256 tokenBefore = IERC20(token).balanceOf(address(this));
        uint256 restakedBefore = IERC20(restaked).balanceOf(address(this));
        IERC20(token).forceApprove(address(manager), amount);
        manager.deposit(IERC20(token), amount);
        IERC20(token).forceApprove(address(manager), 0);
        uint256 pulled = tokenBefore - IERC20(token).balanceOf(address(this));
        if (pulled != amount) revert RestakeTransferMismatch(amount, pulled);
        minted = IERC20(restaked).balanceOf(address(this)) - restakedBefore;
        if (minted == 0) revert NothingMinted();

        _checkpoint(msg.sender, restaked);
        _positions[msg.sender][restaked].balance += minted;
        totalDeposited[restaked] += minted;
        emit Restaked(msg.sender, token, amount, minted);
    }

    // ───────────────────────────── claim manager ─────────────────────────────

    /// @notice The claim manager moves `amount` of `user`'s balance to `receiver`, only after deposits stopped.
    function claim(address user, address token, uint256 amount, address receiver) external whenNotPaused nonReentrant {
        if (msg.sender != claimManager || msg.sender == address(0)) revert NotClaimManager(msg.sender);
        if (block.timestamp < depositStopTime) revert ClaimNotOpen(depositStopTime);
        if (receiver == address(0)) revert ZeroAddress();
        _debit(user, token, amount);
        IERC20(token).safeTransfer(receiver, amount);
        emit Claimed(user, token, amount, receiver);
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @notice Total points of `user` across all tokens, accrued up to now.
    function pointsOf(address user) external view returns (uint256 total) {
        uint256 n = _tokenList.length;
        for (uint256 i = 0; i < n; i++) total += _pendingPoints(user, _tokenList[i]);
    }

    /// @notice Points of `user` from `token` alone, accrued up to now.
    function pointsOfToken(address user, address token) external view returns (uint256) {
        return _pendingPoints(user, token);
    }

    function balanceOf(address user, address token) external view returns (uint256) {
        return _positions[user][token].balance;
    }

    function tokens() external view returns (address[] memory) {
        return _tokenList;
    }

    function tokenInfo(address token) external view returns (TokenInfo memory) {
        return _tokens[token];
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _debit(address user, address token, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        if (!_tokens[token].known) revert UnknownToken(token);
        Position storage p = _positions[user][token];
        if (p.balance < amount) revert InsufficientBalance(user, token, p.balance, amount);
        _checkpoint(user, token);
        p.balance -= amount;
        totalDeposited[token] -= amount;
    }

    function _advance(TokenInfo storage t) private returns (uint256) {
        if (block.timestamp > t.lastUpdate) {
            t.index += t.weight * (block.timestamp - t.lastUpdate);
            t.lastUpdate = uint64(block.timestamp);
        }
        return t.index;
    }

    function _checkpoint(address user, address token) private {
        TokenInfo storage t = _tokens[token];
        uint256 idx = _advance(t);
        Position storage p = _positions[user][token];
        if (p.balance != 0) p.points += (_normalise(t.decimals, p.balance) * (idx - p.index)) / WEIGHT_ONE;
        p.index = idx;
    }

    function _pendingPoints(address user, address token) private view returns (uint256) {
        TokenInfo storage t = _tokens[token];
        Position storage p = _positions[user][token];
        uint256 idx = t.index;
        if (block.timestamp > t.lastUpdate) idx += t.weight * (block.timestamp - t.lastUpdate);
        if (p.balance == 0) return p.points;
        return p.points + (_normalise(t.decimals, p.balance) * (idx - p.index)) / WEIGHT_ONE;
    }

    function _normalise(uint8 decimals, uint256 amount) private pure returns (uint256) {
        return amount * 10 ** (18 - decimals);
    }
}
